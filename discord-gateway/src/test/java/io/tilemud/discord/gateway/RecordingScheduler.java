package io.tilemud.discord.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The real executor scheduler, recording every delay the client asked for (so tests assert the exact schedule). */
final class RecordingScheduler implements GatewayScheduler, AutoCloseable {
    final List<Duration> delays = new CopyOnWriteArrayList<>();
    private final ExecutorGatewayScheduler delegate = new ExecutorGatewayScheduler("gateway-test-timers");

    @Override
    public Scheduled schedule(Duration delay, Runnable task) {
        delays.add(delay);
        return delegate.schedule(delay, task);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
