package io.tilemud.queue;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;

/**
 * Queue settings ({@code tilemud.queue}).
 *
 * @param maxLength                   entries per instance before QUEUE_FULL (ADM-10)
 * @param abandonSeconds              a queued character that has not polled for this long loses its place (ADM-23)
 * @param fallbackSecondsPerPosition  ETA per position before any promotion has been observed
 */
@ConfigurationProperties("tilemud.queue")
public record QueueSettings(@Bindable(defaultValue = "1000") @Positive int maxLength,
                            @Bindable(defaultValue = "60") @Positive int abandonSeconds,
                            @Bindable(defaultValue = "30") @Positive int fallbackSecondsPerPosition) {
}
