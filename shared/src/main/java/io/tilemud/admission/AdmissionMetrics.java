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
 * Admission, queue and session meters (OPS-03; names, tags and units in {@link MetricNames}). Recording only updates
 * in-memory meters: they leave a Lambda as EMF log lines when the invocation ends
 * ({@link io.tilemud.ops.metrics.MetricsFlush}), never on the request path. Counters are looked up once per
 * name and tag value, so an attempt pays a map read: building and registering a meter on every attempt was 7 % of the
 * admission route's caller-side samples (issue 15). Thread-safe.
 */
@Singleton
public class AdmissionMetrics {
    private final MeterRegistry registry;
    private final Timer latency;
    private final Timer queueWait;
    private final Counter timeouts;
    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> peak = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> sessions = new ConcurrentHashMap<>();
    /** Tag values are bounded: enum names, outcomes, and instance ids (as the gauges above). */
    private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();

    private record CounterKey(String name, String tag, String value) {
    }

    public AdmissionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder(MetricNames.ADMISSION_LATENCY).publishPercentiles(0.5, 0.95, 0.99)
                .description("admission attempt, request to outcome").register(registry);
        this.queueWait = Timer.builder(MetricNames.QUEUE_WAIT).publishPercentiles(0.5, 0.95)
                .description("enqueue to promotion").register(registry);
        this.timeouts = Counter.builder(MetricNames.ADMISSION_TIMEOUTS).register(registry);
    }

    /** An attempt that got a slot ({@code how}: NEW, PENDING, RECONNECTED, REPLACED). */
    public void admitted(AdmissionResult.Admitted.How how, Duration took) {
        count(MetricNames.ADMISSION_SUCCESSES, MetricNames.HOW, how.name());
        attempt(MetricNames.SUCCESS, null, took);
    }

    /**
     * One attempt's outcome ({@code success|queued|failed|timeout}) and, for failures and timeouts, the reason (an
     * {@code ErrorCode} name).
     */
    public void attempt(String outcome, String reason, Duration took) {
        count(MetricNames.ADMISSION_ATTEMPTS, MetricNames.OUTCOME, outcome);
        if (reason != null) {
            count(MetricNames.ADMISSION_FAILURES, MetricNames.REASON, reason);
        }
        if (MetricNames.TIMEOUT.equals(outcome)) {
            timeouts.increment();
        }
        latency.record(took);
    }

    /** An attempt refused by the failure rate limit's lock (ADM-12). */
    public void throttled() {
        count(MetricNames.THROTTLES, MetricNames.ROUTE, MetricNames.ROUTE_CONNECT);
    }

    public void promoted(String instanceId, Duration waited) {
        queueWait.record(waited);
        count(MetricNames.QUEUE_PROMOTIONS, MetricNames.INSTANCE, instanceId);
    }

    public void abandoned(String instanceId) {
        count(MetricNames.QUEUE_ABANDONED, MetricNames.INSTANCE, instanceId);
    }

    public void expired(String fromState) {
        count(MetricNames.SESSIONS_EXPIRED, MetricNames.FROM, fromState);
    }

    public void reconnect(boolean success) {
        count(MetricNames.RECONNECTS, MetricNames.RESULT, success ? MetricNames.SUCCESS : MetricNames.FAILURE);
    }

    /** Queue depth and peak gauges per instance, as last observed (janitor sweeps). */
    public void queue(String instanceId, long currentDepth, long currentPeak) {
        gauge(depth, MetricNames.QUEUE_DEPTH, instanceId).set(currentDepth);
        gauge(peak, MetricNames.QUEUE_PEAK, instanceId).set(currentPeak);
    }

    public void slots(String instanceId, long used) {
        gauge(sessions, MetricNames.ACTIVE_SESSIONS, instanceId).set(used);
    }

    private void count(String name, String tag, String value) {
        counters.computeIfAbsent(new CounterKey(name, tag, value),
                key -> Counter.builder(key.name()).tag(key.tag(), key.value()).register(registry)).increment();
    }

    private AtomicLong gauge(Map<String, AtomicLong> values, String name, String instanceId) {
        return values.computeIfAbsent(instanceId, id -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).tag(MetricNames.INSTANCE, id).register(registry);
            return value;
        });
    }
}
