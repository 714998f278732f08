package io.tilemud.ops.metrics;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Secondary;
import io.tilemud.contract.MetricNames;
import jakarta.inject.Singleton;
import software.amazon.cloudwatchlogs.emf.sinks.ConsoleSink;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

import java.time.Clock;

/**
 * The EMF registry, unless {@code tilemud.metrics.emf.enabled=false}. Micronaut adds every {@code MeterRegistry}
 * bean to its primary composite registry, which is what domain code records to.
 */
@Factory
public class EmfRegistryFactory {

    /** In Lambda, standard output goes to the function's CloudWatch log group, where EMF lines become metrics. */
    @Singleton
    @Secondary
    ISink emfSink() {
        return new ConsoleSink();
    }

    @Singleton
    @Bean(preDestroy = "close")
    @Requires(property = "tilemud.metrics.emf.enabled", notEquals = "false")
    EmfMeterRegistry emfMeterRegistry(EmfSettings settings, Clock clock, ISink sink) {
        return new EmfMeterRegistry(MetricNames.NAMESPACE, settings, clock, sink);
    }
}
