package io.tilemud.admission;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tilemud.contract.MetricNames;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Counters are remembered per name and tag value: each value still counts on its own, and nothing is lost. */
class AdmissionMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AdmissionMetrics metrics = new AdmissionMetrics(registry);

    @Test
    void eachOutcomeAndReasonCountsOnItsOwn() {
        metrics.admitted(AdmissionResult.Admitted.How.NEW, Duration.ofMillis(2));
        metrics.admitted(AdmissionResult.Admitted.How.NEW, Duration.ofMillis(3));
        metrics.admitted(AdmissionResult.Admitted.How.RECONNECTED, Duration.ofMillis(1));
        metrics.attempt("failed", "QUEUE_FULL", Duration.ofMillis(1));
        metrics.attempt("failed", "VERSION_MISMATCH", Duration.ofMillis(1));
        metrics.attempt("failed", "QUEUE_FULL", Duration.ofMillis(1));

        assertEquals(2.0, count(MetricNames.ADMISSION_SUCCESSES, MetricNames.HOW, "NEW"));
        assertEquals(1.0, count(MetricNames.ADMISSION_SUCCESSES, MetricNames.HOW, "RECONNECTED"));
        assertEquals(3.0, count(MetricNames.ADMISSION_ATTEMPTS, MetricNames.OUTCOME, MetricNames.SUCCESS));
        assertEquals(3.0, count(MetricNames.ADMISSION_ATTEMPTS, MetricNames.OUTCOME, "failed"));
        assertEquals(2.0, count(MetricNames.ADMISSION_FAILURES, MetricNames.REASON, "QUEUE_FULL"));
        assertEquals(1.0, count(MetricNames.ADMISSION_FAILURES, MetricNames.REASON, "VERSION_MISMATCH"));
        assertEquals(6, registry.get(MetricNames.ADMISSION_LATENCY).timer().count());
    }

    @Test
    void theSameNameUnderAnotherTagIsAnotherCounter() {
        metrics.throttled();
        metrics.throttled();
        metrics.reconnect(true);
        metrics.reconnect(false);
        metrics.reconnect(false);

        assertEquals(2.0, count(MetricNames.THROTTLES, MetricNames.ROUTE, MetricNames.ROUTE_CONNECT));
        assertEquals(1.0, count(MetricNames.RECONNECTS, MetricNames.RESULT, MetricNames.SUCCESS));
        assertEquals(2.0, count(MetricNames.RECONNECTS, MetricNames.RESULT, MetricNames.FAILURE));
    }

    private double count(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).counter().count();
    }
}
