package io.tilemud.admission;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;

/**
 * Admission settings ({@code tilemud.admission}).
 *
 * @param timeoutMillis              an attempt that has not resolved after this many milliseconds answers
 *                                   {@code timeout}, and a late admission is rolled back (ADM-13)
 * @param replaceTokenSeconds        lifetime of the single-use replace token (ADM-09)
 * @param degradedRetryAfterSeconds  {@code retryAfterSeconds} sent with SERVICE_DEGRADED while Redis is down
 */
@ConfigurationProperties("tilemud.admission")
public record AdmissionSettings(@Bindable(defaultValue = "10000") @Positive long timeoutMillis,
                                @Bindable(defaultValue = "30") @Positive int replaceTokenSeconds,
                                @Bindable(defaultValue = "5") @Positive int degradedRetryAfterSeconds) {
}
