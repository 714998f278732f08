package io.tilemud.ops.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.tilemud.contract.MetricNames;
import org.junit.jupiter.api.Test;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmfMeterRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<JsonNode> lines = new ArrayList<>();
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-02T00:00:00Z"));
    private final EmfMeterRegistry registry = new EmfMeterRegistry(MetricNames.NAMESPACE,
            new EmfSettings(true, 60, 3), clock, new ISink() {
        @Override
        public void accept(MetricsContext context) {
            try {
                for (String line : context.serialize()) {
                    lines.add(JSON.readTree(line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public CompletableFuture<Void> shutdown() {
            return CompletableFuture.completedFuture(null);
        }
    });

    @Test
    void flush_counter_writesTheIncreaseOnceWithItsTagsAsTheOnlyDimensions() {
        // GIVEN a counter incremented twice
        Counter counter = Counter.builder(MetricNames.ADMISSION_FAILURES).tag(MetricNames.REASON, "QUEUE_FULL")
                .register(registry);
        counter.increment();
        counter.increment();

        // WHEN flushed twice
        registry.flush();
        registry.flush();

        // THEN one EMF document: namespace, the tag as the one dimension, unit Count, the increase; nothing after
        assertEquals(1, lines.size(), lines.toString());
        JsonNode doc = lines.getFirst();
        JsonNode directive = doc.get("_aws").get("CloudWatchMetrics").get(0);
        assertEquals(MetricNames.NAMESPACE, directive.get("Namespace").asText());
        assertEquals("[[\"reason\"]]", directive.get("Dimensions").toString());
        assertEquals("Count", directive.get("Metrics").get(0).get("Unit").asText());
        assertEquals("QUEUE_FULL", doc.get("reason").asText());
        assertEquals(2.0, doc.get(MetricNames.ADMISSION_FAILURES).asDouble());
        assertEquals(clock.instant().toEpochMilli(), doc.get("_aws").get("Timestamp").asLong());
        assertEquals(2.0, counter.count(), "Micrometer's count stays cumulative");
    }

    @Test
    void flush_timer_writesEveryValueInMillisecondsUpToTheCap() {
        // GIVEN four recorded latencies and a cap of three values per flush
        Timer timer = Timer.builder(MetricNames.QUEUE_WAIT).register(registry);
        timer.record(Duration.ofMillis(5));
        timer.record(Duration.ofMillis(7));
        timer.record(Duration.ofMillis(900));
        timer.record(Duration.ofMillis(1));

        // WHEN flushed
        registry.flush();

        // THEN the values themselves, not an average: CloudWatch computes percentiles from them
        JsonNode doc = lines.getFirst();
        assertEquals("[5.0,7.0,900.0]", doc.get(MetricNames.QUEUE_WAIT).toString());
        assertEquals("Milliseconds", doc.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics").get(0)
                .get("Unit").asText());
        assertEquals("[[]]", doc.get("_aws").get("CloudWatchMetrics").get(0).get("Dimensions").toString());
        assertEquals(4, timer.count());
    }

    @Test
    void flush_gauge_writtenWhenChangedOrAfterTheHeartbeatOnly() {
        // GIVEN a queue depth gauge at 3
        AtomicLong depth = new AtomicLong(3);
        Gauge.builder(MetricNames.QUEUE_DEPTH, depth, AtomicLong::get).tag(MetricNames.INSTANCE, "w1").register(registry);

        // WHEN flushed: at once, unchanged 30 s later, unchanged 60 s later, changed a second later
        registry.flush();
        clock.advance(Duration.ofSeconds(30));
        registry.flush();
        clock.advance(Duration.ofSeconds(30));
        registry.flush();
        depth.set(4);
        clock.advance(Duration.ofSeconds(1));
        registry.flush();

        // THEN three documents: the first value, the heartbeat, the change
        assertEquals(List.of(3.0, 3.0, 4.0), lines.stream().map(d -> d.get(MetricNames.QUEUE_DEPTH).asDouble()).toList());
        assertEquals("w1", lines.getFirst().get(MetricNames.INSTANCE).asText());
    }

    @Test
    void flush_foreignMeters_areNeverWritten() {
        // GIVEN a framework meter (Lettuce, HikariCP, ...) next to ours
        Counter.builder("lettuce.command.completion").register(registry).increment();
        Counter.builder(MetricNames.ADMISSION_TIMEOUTS).register(registry).increment();

        // WHEN flushed
        registry.flush();

        // THEN only ours is written: every name + dimension set is a billed custom metric
        assertEquals(1, lines.size());
        assertTrue(lines.getFirst().has(MetricNames.ADMISSION_TIMEOUTS));
        assertTrue(registry.find("lettuce.command.completion").counter() == null);
    }

    @Test
    void flush_nothingRecorded_writesNothing() {
        Counter.builder(MetricNames.ADMISSION_TIMEOUTS).register(registry);

        registry.flush();

        assertEquals(List.of(), lines);
    }

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
