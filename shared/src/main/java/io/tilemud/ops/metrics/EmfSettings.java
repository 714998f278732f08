package io.tilemud.ops.metrics;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;

/**
 * CloudWatch Embedded Metric Format output ({@code tilemud.metrics.emf}).
 *
 * @param enabled                whether meters are written as EMF log lines after each invocation (off in the local
 *                               stack, which serves them at {@code /dev/metrics} instead)
 * @param gaugeHeartbeatSeconds  an unchanged gauge is written again after this long, so every alarm period of a
 *                               minute sees a value while the container lives; a changed one is written at once
 * @param maxSamplesPerMeter     timer/summary values kept between two flushes (further ones still count in the
 *                               cumulative meter, but are not written: bounds memory in a long invocation)
 */
@ConfigurationProperties("tilemud.metrics.emf")
public record EmfSettings(@Bindable(defaultValue = "true") boolean enabled,
                          @Bindable(defaultValue = "60") @Positive int gaugeHeartbeatSeconds,
                          @Bindable(defaultValue = "1000") @Positive int maxSamplesPerMeter) {
}
