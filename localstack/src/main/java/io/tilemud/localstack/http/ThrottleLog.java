package io.tilemud.localstack.http;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The throttle's WARN lines, at most one per interval, each saying how many requests were throttled since the line
 * before (itself included). Under overload a line per refused request would make refusing nearly as dear as serving:
 * writing an admission's two log lines was a tenth of its CPU (issue 15), and throttling exists to shed load cheaply.
 * Thread-safe: the event loops that refuse requests race here, and one of them writes the line.
 */
final class ThrottleLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong throttledSinceLine = new AtomicLong();
    private final AtomicLong nextLineAt;

    ThrottleLog(Logger log, Duration interval, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
        this.nextLineAt = new AtomicLong(nanoClock.getAsLong()); // the first throttle is logged at once
    }

    /** Counts one throttled request; @return true if this call wrote the interval's line */
    boolean throttled(String method, String path, int concurrency) {
        throttledSinceLine.incrementAndGet();
        long now = nanoClock.getAsLong();
        long due = nextLineAt.get();
        if (now - due < 0 || !nextLineAt.compareAndSet(due, now + intervalNanos)) {
            return false;
        }
        log.warn("request {} {} throttled: all {} execution environments busy ({} throttled since the last such line)",
                method, path, concurrency, throttledSinceLine.getAndSet(0));
        return true;
    }
}
