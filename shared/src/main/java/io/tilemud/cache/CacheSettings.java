package io.tilemud.cache;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import java.time.Duration;

/**
 * Redis waits and its circuit breaker ({@code tilemud.cache}).
 *
 * @param commandTimeout            a command (a Lua script included) that has no answer after this long fails; Redis
 *                                  answers ours in well under a millisecond, so anything near this is an outage
 * @param connectTimeout            TCP connect to Redis
 * @param failureRatePercent        the breaker opens when at least this share of the recent calls failed
 * @param windowCalls               how many recent calls that share is computed over (count-based window)
 * @param minimumCalls              fewest calls in the window before the rate counts: how many calls at most pay
 *                                  {@code commandTimeout} before a dead cache is known dead
 * @param openFor                   how long an open breaker refuses calls (microseconds each) before letting probes through
 * @param probeCalls                calls let through while half-open; all must succeed to close it again
 */
@ConfigurationProperties("tilemud.cache")
public record CacheSettings(@Bindable(defaultValue = "500ms") @NotNull Duration commandTimeout,
                            @Bindable(defaultValue = "500ms") @NotNull Duration connectTimeout,
                            @Bindable(defaultValue = "50") @Min(1) @Max(100) int failureRatePercent,
                            @Bindable(defaultValue = "10") @Positive int windowCalls,
                            @Bindable(defaultValue = "3") @Positive int minimumCalls,
                            @Bindable(defaultValue = "5s") @NotNull Duration openFor,
                            @Bindable(defaultValue = "2") @Positive int probeCalls) {
}
