package io.tilemud.discord.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that only moves when told to (by a test, or by a {@link RecordingSleeper}). */
public final class TestClock extends Clock {
    private final AtomicLong nanos = new AtomicLong(Instant.parse("2026-12-01T12:00:00Z").toEpochMilli() * 1_000_000L);

    public void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        long n = nanos.get();
        return Instant.ofEpochSecond(n / 1_000_000_000L, n % 1_000_000_000L);
    }
}
