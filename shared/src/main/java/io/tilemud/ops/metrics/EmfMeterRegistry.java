package io.tilemud.ops.metrics;

import io.micrometer.core.instrument.AbstractMeter;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.cumulative.CumulativeDistributionSummary;
import io.micrometer.core.instrument.cumulative.CumulativeFunctionCounter;
import io.micrometer.core.instrument.cumulative.CumulativeFunctionTimer;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.internal.DefaultGauge;
import io.micrometer.core.instrument.internal.DefaultLongTaskTimer;
import io.micrometer.core.instrument.internal.DefaultMeter;
import io.tilemud.contract.MetricNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * A Micrometer registry whose {@link #flush()} writes what happened since the previous flush as CloudWatch Embedded
 * Metric Format log lines, through AWS's {@code aws-embedded-metrics} writer. Nothing is sent anywhere on the request
 * path: CloudWatch Logs extracts the metrics from the lines (a push registry would lose whatever was pending when
 * Lambda freezes the container).
 *
 * <p>What one flush writes, in namespace {@code namespace}, one EMF document per tag set (EMF dimensions are per
 * document; the tags become the dimensions, nothing else is added):
 * <ul>
 *   <li>counters and function counters: the increase since the last flush, unit {@code Count}, when above zero;</li>
 *   <li>timers: every recorded value in milliseconds (EMF values, so CloudWatch computes p95/p99 itself); distribution
 *       summaries: every value, unit {@code None};</li>
 *   <li>gauges: the current value, unit {@code Count} ({@code None} for a gauge with base unit {@code ratio}), when it
 *       changed or {@code gaugeHeartbeatSeconds} passed since it was last written.</li>
 * </ul>
 * Long task timers and function timers are kept for Micrometer's sake but not written (none is used). Meters whose
 * name does not start with {@link MetricNames#PREFIX} (the framework's) are not kept at all.
 *
 * <p>Thread-safe: meters record from any thread; flushes are serialized.
 */
public class EmfMeterRegistry extends MeterRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(EmfMeterRegistry.class);

    private final String namespace;
    private final EmfSettings settings;
    private final java.time.Clock wallClock;
    private final EmfEnvironment environment;
    private final Map<Meter.Id, Double> lastFunctionCounts = new ConcurrentHashMap<>();
    private final Map<Meter.Id, GaugeState> lastGauges = new ConcurrentHashMap<>();

    public EmfMeterRegistry(String namespace, EmfSettings settings, java.time.Clock wallClock, ISink sink) {
        super(Clock.SYSTEM);
        this.namespace = namespace;
        this.settings = settings;
        this.wallClock = wallClock;
        this.environment = new EmfEnvironment(sink);
        // Only our own meters: every metric name + dimension set is a billed CloudWatch custom metric, and the
        // framework's (Lettuce per command and socket, HikariCP, Micronaut's HTTP timers) would be dozens.
        config().meterFilter(MeterFilter.denyUnless(id -> id.getName().startsWith(MetricNames.PREFIX)));
    }

    /** Writes everything recorded since the previous flush; a no-op when nothing happened. */
    public synchronized void flush() {
        Map<Map<String, String>, List<Value>> byDimensions = new java.util.LinkedHashMap<>();
        Instant now = wallClock.instant();
        for (Meter meter : getMeters()) {
            List<Value> values = valuesOf(meter, now);
            if (!values.isEmpty()) {
                byDimensions.computeIfAbsent(dimensions(meter.getId()), d -> new ArrayList<>()).addAll(values);
            }
        }
        byDimensions.forEach((dimensions, values) -> write(dimensions, values, now));
    }

    private List<Value> valuesOf(Meter meter, Instant now) {
        String name = meter.getId().getName();
        return switch (meter) {
            case EmfCounter counter -> {
                double delta = counter.takeDelta();
                yield delta > 0 ? List.of(new Value(name, delta, Unit.COUNT)) : List.of();
            }
            case FunctionCounter counter -> {
                double total = counter.count();
                Double previous = lastFunctionCounts.put(meter.getId(), total);
                double delta = total - (previous == null ? 0 : previous);
                yield delta > 0 ? List.of(new Value(name, delta, Unit.COUNT)) : List.of();
            }
            case EmfTimer timer -> timer.drain().stream().map(ms -> new Value(name, ms, Unit.MILLISECONDS)).toList();
            case EmfSummary summary -> summary.drain().stream().map(v -> new Value(name, v, Unit.NONE)).toList();
            case Gauge gauge -> gaugeValue(gauge, now);
            default -> List.of();
        };
    }

    private List<Value> gaugeValue(Gauge gauge, Instant now) {
        double value = gauge.value();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return List.of();
        }
        GaugeState last = lastGauges.get(gauge.getId());
        boolean due = last == null || last.value() != value
                || !now.isBefore(last.at().plusSeconds(settings.gaugeHeartbeatSeconds()));
        if (!due) {
            return List.of();
        }
        lastGauges.put(gauge.getId(), new GaugeState(value, now));
        Unit unit = "ratio".equals(gauge.getId().getBaseUnit()) ? Unit.NONE : Unit.COUNT;
        return List.of(new Value(gauge.getId().getName(), value, unit));
    }

    private void write(Map<String, String> dimensions, List<Value> values, Instant now) {
        try {
            MetricsLogger logger = new MetricsLogger(environment);
            logger.setNamespace(namespace);
            DimensionSet set = new DimensionSet();
            for (Map.Entry<String, String> d : dimensions.entrySet()) {
                set.addDimension(d.getKey(), d.getValue());
            }
            // Exactly our tags: the writer's defaults (LogGroup, ServiceName, ServiceType) would give every function
            // its own series, and alarms would have to name each.
            logger.setDimensions(set);
            logger.setTimestamp(now);
            for (Value v : values) {
                logger.putMetric(v.name(), v.value(), v.unit());
            }
            logger.flush();
        } catch (RuntimeException e) {
            // Metrics must never fail an invocation: a bad tag value loses these values, nothing else.
            LOG.warn("metrics not written for dimensions {}: {}", dimensions.keySet(), e.toString());
        }
    }

    private static Map<String, String> dimensions(Meter.Id id) {
        Map<String, String> dimensions = new TreeMap<>();
        for (Tag tag : id.getTagsAsIterable()) {
            dimensions.put(tag.getKey(), tag.getValue());
        }
        return dimensions;
    }

    @Override
    protected <T> Gauge newGauge(Meter.Id id, T obj, ToDoubleFunction<T> valueFunction) {
        return new DefaultGauge<>(id, obj, valueFunction);
    }

    @Override
    protected Counter newCounter(Meter.Id id) {
        return new EmfCounter(id);
    }

    @Override
    protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
        return new EmfTimer(id, clock, config, pauseDetector, getBaseTimeUnit(), settings.maxSamplesPerMeter());
    }

    @Override
    protected DistributionSummary newDistributionSummary(Meter.Id id, DistributionStatisticConfig config, double scale) {
        return new EmfSummary(id, clock, config, scale, settings.maxSamplesPerMeter());
    }

    @Override
    protected LongTaskTimer newLongTaskTimer(Meter.Id id, DistributionStatisticConfig config) {
        return new DefaultLongTaskTimer(id, clock, getBaseTimeUnit(), config, false);
    }

    @Override
    protected Meter newMeter(Meter.Id id, Meter.Type type, Iterable<Measurement> measurements) {
        return new DefaultMeter(id, type, measurements);
    }

    @Override
    protected <T> FunctionTimer newFunctionTimer(Meter.Id id, T obj, ToLongFunction<T> countFunction,
                                                 ToDoubleFunction<T> totalTimeFunction, TimeUnit totalTimeFunctionUnit) {
        return new CumulativeFunctionTimer<>(id, obj, countFunction, totalTimeFunction, totalTimeFunctionUnit,
                getBaseTimeUnit());
    }

    @Override
    protected <T> FunctionCounter newFunctionCounter(Meter.Id id, T obj, ToDoubleFunction<T> countFunction) {
        return new CumulativeFunctionCounter<>(id, obj, countFunction);
    }

    @Override
    protected TimeUnit getBaseTimeUnit() {
        return TimeUnit.MILLISECONDS;
    }

    @Override
    protected DistributionStatisticConfig defaultHistogramConfig() {
        return DistributionStatisticConfig.builder().expiry(Duration.ofMinutes(1)).bufferLength(3).build()
                .merge(DistributionStatisticConfig.DEFAULT);
    }

    private record Value(String name, double value, Unit unit) {
    }

    private record GaugeState(double value, Instant at) {
    }

    /** The Lambda environment's metadata (function version, log stream) with our sink instead of its console one. */
    private static final class EmfEnvironment extends LambdaEnvironment {
        private final ISink sink;

        EmfEnvironment(ISink sink) {
            this.sink = sink;
        }

        @Override
        public ISink getSink() {
            return sink;
        }
    }

    /** Cumulative like every Micrometer counter, plus the increase since the last flush. */
    static final class EmfCounter extends AbstractMeter implements Counter {
        private final DoubleAdder total = new DoubleAdder();
        private final DoubleAdder sinceFlush = new DoubleAdder();

        EmfCounter(Meter.Id id) {
            super(id);
        }

        @Override
        public void increment(double amount) {
            total.add(amount);
            sinceFlush.add(amount);
        }

        @Override
        public double count() {
            return total.sum();
        }

        double takeDelta() {
            return sinceFlush.sumThenReset();
        }
    }

    /** Bounded buffer of the values recorded since the last flush. */
    private static final class Samples {
        private final Queue<Double> values = new ConcurrentLinkedQueue<>();
        private final AtomicInteger size = new AtomicInteger();
        private final int max;

        Samples(int max) {
            this.max = max;
        }

        void add(double value) {
            if (size.incrementAndGet() <= max) {
                values.add(value);
            } else {
                size.decrementAndGet();
            }
        }

        List<Double> drain() {
            List<Double> out = new ArrayList<>();
            for (Double v = values.poll(); v != null; v = values.poll()) {
                size.decrementAndGet();
                out.add(v);
            }
            return out;
        }
    }

    static final class EmfTimer extends CumulativeTimer {
        private final Samples samples;

        EmfTimer(Meter.Id id, Clock clock, DistributionStatisticConfig config, PauseDetector pauseDetector,
                 TimeUnit baseTimeUnit, int maxSamples) {
            super(id, clock, config, pauseDetector, baseTimeUnit, false);
            this.samples = new Samples(maxSamples);
        }

        @Override
        protected void recordNonNegative(long amount, TimeUnit unit) {
            super.recordNonNegative(amount, unit);
            samples.add(unit.toNanos(amount) / 1_000_000.0);
        }

        List<Double> drain() {
            return samples.drain();
        }
    }

    static final class EmfSummary extends CumulativeDistributionSummary {
        private final Samples samples;

        EmfSummary(Meter.Id id, Clock clock, DistributionStatisticConfig config, double scale, int maxSamples) {
            super(id, clock, config, scale, false);
            this.samples = new Samples(maxSamples);
        }

        @Override
        protected void recordNonNegative(double amount) {
            super.recordNonNegative(amount);
            samples.add(amount);
        }

        List<Double> drain() {
            return samples.drain();
        }
    }
}
