package io.tilemud.ops.metrics;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tilemud.contract.MetricNames;
import jakarta.inject.Singleton;

/**
 * Hit ratio of the per-container Caffeine caches (OPS-03): reads as {@link MetricNames#CACHE_REQUESTS} by hit/miss
 * and {@link MetricNames#CACHE_HIT_RATIO}, both read from Caffeine's own statistics when metrics are written, so a
 * cache read costs nothing more than Caffeine's counters (the cache must be built with {@code recordStats()}).
 */
@Singleton
public class CacheMetrics {
    private final MeterRegistry registry;

    public CacheMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers the meters of {@code cache} under {@code name} ({@link MetricNames#CACHE_CONNECTIONS}, …). */
    public <C extends Cache<?, ?>> C watch(String name, C cache) {
        FunctionCounter.builder(MetricNames.CACHE_REQUESTS, cache, c -> c.stats().hitCount())
                .tag(MetricNames.CACHE, name).tag(MetricNames.LOOKUP, MetricNames.HIT).register(registry);
        FunctionCounter.builder(MetricNames.CACHE_REQUESTS, cache, c -> c.stats().missCount())
                .tag(MetricNames.CACHE, name).tag(MetricNames.LOOKUP, MetricNames.MISS).register(registry);
        // NaN before the first read: no value is better than a made-up 0 or 1.
        Gauge.builder(MetricNames.CACHE_HIT_RATIO, cache, c -> c.stats().requestCount() == 0 ? Double.NaN
                        : c.stats().hitRate())
                .tag(MetricNames.CACHE, name).baseUnit("ratio").register(registry);
        return cache;
    }
}
