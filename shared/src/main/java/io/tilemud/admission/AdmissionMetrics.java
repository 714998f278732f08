package io.tilemud.admission;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tilemud.contract.MetricNames;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admission meters (OPS-03). Recording only updates in-memory meters; the registry publishes in the background
 * (CloudWatch registry's own schedule), never on the request path. Thread-safe.
 */
@Singleton
public class AdmissionMetrics {
    private final MeterRegistry registry;
    private final Timer latency;
    private final Timer queueWait;
    private final Counter throttles;
    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> peak = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> sessions = new ConcurrentHashMap<>();

    public AdmissionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder(MetricNames.ADMISSION_LATENCY).publishPercentiles(0.5, 0.95, 0.99)
                .description("admission attempt, request to outcome").register(registry);
        this.queueWait = Timer.builder(MetricNames.QUEUE_WAIT).publishPercentiles(0.5, 0.95)
                .description("enqueue to promotion").register(registry);
        this.throttles = Counter.builder(MetricNames.ADMISSION_THROTTLES).register(registry);
    }

    /** One attempt's outcome ({@code success|queued|failed|timeout}) and, for failures, the reason. */
    public void attempt(String outcome, String reason, Duration took) {
        Counter.builder(MetricNames.ADMISSION_ATTEMPTS).tag("outcome", outcome).tag("reason", reason == null ? "none" : reason)
                .register(registry).increment();
        latency.record(took);
    }

    public void throttled() {
        throttles.increment();
    }

    public void promoted(String instanceId, Duration waited) {
        queueWait.record(waited);
        Counter.builder(MetricNames.QUEUE_PROMOTIONS).tag("instance", instanceId).register(registry).increment();
    }

    public void abandoned(String instanceId) {
        Counter.builder(MetricNames.QUEUE_ABANDONED).tag("instance", instanceId).register(registry).increment();
    }

    public void expired(String fromState) {
        Counter.builder(MetricNames.SESSIONS_EXPIRED).tag("from", fromState).register(registry).increment();
    }

    public void reconnect(boolean success) {
        Counter.builder(MetricNames.RECONNECTS).tag("result", success ? "success" : "failure").register(registry).increment();
    }

    /** Queue depth and peak gauges per instance, as last observed (janitor and status reads). */
    public void queue(String instanceId, long currentDepth, long currentPeak) {
        gauge(depth, MetricNames.QUEUE_DEPTH, instanceId).set(currentDepth);
        gauge(peak, MetricNames.QUEUE_PEAK, instanceId).set(currentPeak);
    }

    public void slots(String instanceId, long used) {
        gauge(sessions, MetricNames.ACTIVE_SESSIONS, instanceId).set(used);
    }

    private AtomicLong gauge(Map<String, AtomicLong> values, String name, String instanceId) {
        return values.computeIfAbsent(instanceId, id -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).tag("instance", id).register(registry);
            return value;
        });
    }
}
