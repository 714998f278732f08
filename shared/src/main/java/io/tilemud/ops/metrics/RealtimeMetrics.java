package io.tilemud.ops.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tilemud.contract.MetricNames;
import io.tilemud.contract.WebSocketRoutes;
import io.tilemud.realtime.Intent;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Realtime meters (OPS-03; names, tags and units in {@link MetricNames}): intent outcomes (the availability SLO),
 * action latency per route, intent throttles, forced refreshes. In-memory only, written at the end of the
 * invocation; meters are looked up once per route so the intent path pays a map read. Thread-safe.
 */
@Singleton
public class RealtimeMetrics {
    private final MeterRegistry registry;
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<String, Counter> throttles = new ConcurrentHashMap<>();

    public RealtimeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * An intent answered: {@code outcome} is {@link MetricNames#OK} (acknowledged), {@link MetricNames#REJECTED} (a
     * game rule or the input refused it) or {@link MetricNames#FAILED} (not served: storage or lookup failed).
     *
     * @param receivedNanos {@link System#nanoTime()} when the frame arrived
     */
    public void answered(Intent intent, String outcome, long receivedNanos) {
        outcome(outcome);
        latency.computeIfAbsent(route(intent), route -> Timer.builder(MetricNames.ACTION_LATENCY)
                        .tag(MetricNames.ROUTE, route).publishPercentiles(0.5, 0.95, 0.99).register(registry))
                .record(System.nanoTime() - receivedNanos, TimeUnit.NANOSECONDS);
    }

    /** A frame that could not be served before its intent was even known (the connection lookup failed). */
    public void failedUnread() {
        outcome(MetricNames.FAILED);
    }

    /** An intent refused by its per-session rate limit: a throttle, and an intent rejected. */
    public void throttled(Intent intent) {
        throttles.computeIfAbsent(route(intent), route -> Counter.builder(MetricNames.THROTTLES)
                .tag(MetricNames.ROUTE, route).register(registry)).increment();
        outcome(MetricNames.REJECTED);
    }

    /** Clients of {@code instanceId} sent away to reload after a build change (RT-10). */
    public void forcedRefreshes(String instanceId, int clients) {
        if (clients > 0) {
            Counter.builder(MetricNames.FORCED_REFRESHES).tag(MetricNames.INSTANCE, instanceId).register(registry)
                    .increment(clients);
        }
    }

    private void outcome(String outcome) {
        outcomes.computeIfAbsent(outcome, o -> Counter.builder(MetricNames.INTENTS).tag(MetricNames.OUTCOME, o)
                .register(registry)).increment();
    }

    static String route(Intent intent) {
        return switch (intent) {
            case Intent.Move move -> WebSocketRoutes.MOVE;
            case Intent.Chat chat -> WebSocketRoutes.CHAT;
            case Intent.Action action -> WebSocketRoutes.ACTION;
        };
    }
}
