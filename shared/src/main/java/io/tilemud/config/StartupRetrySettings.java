package io.tilemud.config;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * How start-up work against a dependency (creating the connections table) retries a transient failure
 * ({@code tilemud.startup-retry}): exponential backoff, then a clear final error. Issue 11: one local-stack start in
 * nine under load died on a single 3 s DynamoDB timeout.
 *
 * @param maxAttempts    tries in all, the first included
 * @param initialBackoff wait before the second try
 * @param multiplier     each further wait is this many times the previous one
 * @param maxBackoff     no wait is longer
 */
@ConfigurationProperties("tilemud.startup-retry")
public record StartupRetrySettings(@Bindable(defaultValue = "5") @Positive int maxAttempts,
                                   @Bindable(defaultValue = "200ms") @NotNull Duration initialBackoff,
                                   @Bindable(defaultValue = "2") @DecimalMin("1.0") double multiplier,
                                   @Bindable(defaultValue = "3s") @NotNull Duration maxBackoff) {

    /** A resilience4j retry with these settings, retrying what {@code transientFailure} accepts. */
    public Retry retry(String name, Predicate<Throwable> transientFailure) {
        return Retry.of(name, RetryConfig.custom()
                .maxAttempts(maxAttempts)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(initialBackoff, multiplier, maxBackoff))
                .retryOnException(transientFailure)
                .failAfterMaxAttempts(false)
                .build());
    }
}
