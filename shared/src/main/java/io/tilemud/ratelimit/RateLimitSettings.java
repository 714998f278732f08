package io.tilemud.ratelimit;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;

/**
 * Admission failure limit ({@code tilemud.rate-limit}, ADM-12): {@code maxFailures} failed attempts within any
 * rolling {@code windowSeconds} lock the user out for {@code lockSeconds}.
 */
@ConfigurationProperties("tilemud.rate-limit")
public record RateLimitSettings(@Bindable(defaultValue = "5") @Positive int maxFailures,
                                @Bindable(defaultValue = "60") @Positive int windowSeconds,
                                @Bindable(defaultValue = "60") @Positive int lockSeconds) {
}
