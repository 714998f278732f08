package io.tilemud.discord.gateway;

import java.time.Duration;

/**
 * The timers of the gateway client (heartbeats, reconnect backoff), injected so tests can record the requested
 * delays and run them on a short real schedule instead of sleeping through Discord's.
 */
public interface GatewayScheduler {

    /** Runs {@code task} once after {@code delay}; the task must not be run after {@link Scheduled#cancel()}. */
    Scheduled schedule(Duration delay, Runnable task);

    /** A pending task. */
    interface Scheduled {
        /** Cancels the task if it has not started; harmless when it already ran. */
        void cancel();
    }
}
