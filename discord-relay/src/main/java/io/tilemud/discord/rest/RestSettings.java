package io.tilemud.discord.rest;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * The Discord REST client (DSC-01). Units are in the names.
 *
 * @param retryBaseMillis      the first retry waits this long, each next one twice as long: 1, 2, 4, 8, 16 s
 * @param maxRetries           retries after the first attempt (5: six requests and 31 s of backoff at most);
 *                             then the command fails for good
 * @param globalPerSecond      Discord's global limit per bot token, also the burst
 * @param requestTimeoutMillis one HTTP exchange
 */
@ConfigurationProperties("tilemud.discord.rest")
public record RestSettings(@Bindable(defaultValue = "1000") @Positive long retryBaseMillis,
                           @Bindable(defaultValue = "5") @PositiveOrZero int maxRetries,
                           @Bindable(defaultValue = "50") @Positive int globalPerSecond,
                           @Bindable(defaultValue = "10000") @Positive long requestTimeoutMillis) {
}
