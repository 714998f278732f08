package io.tilemud.discord.gateway;

import java.time.Duration;

/**
 * The timers of the gateway client (heartbeats, the hello timeout, reconnect backoff), injected so tests can record
 * the requested delays and run them on a short real schedule instead of sleeping through Discord's.
 */
public interface GatewayScheduler {

    /** What a timer is for: lets a test (or a metric) tell the backoff schedule from heartbeats. */
    enum Timer {
        /** The next heartbeat (the first one after interval × jitter, then every interval). */
        HEARTBEAT,
        /** Gives up on an open connection that has not sent HELLO. */
        HELLO_TIMEOUT,
        /** The wait before the next connection attempt (backoff, or 1–5 × base after INVALID_SESSION d:false). */
        RECONNECT
    }

    /** Runs {@code task} once after {@code delay}; the task must not be run after {@link Scheduled#cancel()}. */
    Scheduled schedule(Timer timer, Duration delay, Runnable task);

    /** A pending task. */
    interface Scheduled {
        /** Cancels the task if it has not started; harmless when it already ran. */
        void cancel();
    }
}
