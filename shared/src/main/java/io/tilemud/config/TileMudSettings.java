package io.tilemud.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/**
 * Server identity.
 *
 * @param build    the server build; clients must present exactly this string (ADM-06)
 * @param protocol the realtime protocol version clients speak
 */
@ConfigurationProperties("tilemud")
public record TileMudSettings(@NotBlank String build, @Positive int protocol) {
}
