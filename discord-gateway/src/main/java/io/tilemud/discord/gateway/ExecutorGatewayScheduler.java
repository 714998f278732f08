package io.tilemud.discord.gateway;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The production {@link GatewayScheduler}: one daemon thread, so a forgotten client never keeps the JVM alive.
 * Close it after the clients that use it.
 */
public final class ExecutorGatewayScheduler implements GatewayScheduler, AutoCloseable {

    private final ScheduledExecutorService executor;

    public ExecutorGatewayScheduler(String threadName) {
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Scheduled schedule(Timer timer, Duration delay, Runnable task) {
        ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
