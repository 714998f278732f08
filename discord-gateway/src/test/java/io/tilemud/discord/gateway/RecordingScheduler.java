package io.tilemud.discord.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The real executor scheduler, recording every timer the client asked for (so tests assert the exact schedule). */
final class RecordingScheduler implements GatewayScheduler, AutoCloseable {

    record Request(Timer timer, Duration delay) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ExecutorGatewayScheduler delegate = new ExecutorGatewayScheduler("gateway-test-timers");

    @Override
    public Scheduled schedule(Timer timer, Duration delay, Runnable task) {
        requests.add(new Request(timer, delay));
        return delegate.schedule(timer, delay, task);
    }

    /** The delays of one kind of timer, in the order they were asked for. */
    List<Duration> delays(Timer timer) {
        return requests.stream().filter(request -> request.timer() == timer).map(Request::delay).toList();
    }

    /** The delays of one kind of timer asked for after the first {@code skip} requests of that kind. */
    List<Duration> delaysAfter(Timer timer, int skip) {
        List<Duration> all = delays(timer);
        return all.subList(Math.min(skip, all.size()), all.size());
    }

    @Override
    public void close() {
        delegate.close();
    }
}
