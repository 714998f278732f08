package io.tilemud.functions.admission;

import io.micronaut.context.annotation.Replaces;
import io.tilemud.config.ClockFactory;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application clock in tests: system time plus an offset that tests only ever move forward, so grace, pending
 * and abandonment tests advance time instead of sleeping, and every other test still sees a running clock.
 */
@Singleton
@Replaces(bean = Clock.class, factory = ClockFactory.class)
public class MutableClock extends Clock {
    private final AtomicLong offsetMillis = new AtomicLong();

    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time only moves forward: other tests share this clock");
        }
        offsetMillis.addAndGet(by.toMillis());
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
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMillis.get();
    }
}
