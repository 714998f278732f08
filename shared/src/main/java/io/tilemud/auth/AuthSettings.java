package io.tilemud.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotBlank;

/**
 * The OIDC issuer access tokens must come from.
 *
 * @param jwksUrl  where the issuer publishes its signing keys
 * @param issuer   the exact {@code iss}
 * @param audience the {@code aud} (or, for Cognito access tokens, the {@code client_id}) tokens must name
 */
@ConfigurationProperties("tilemud.auth")
public record AuthSettings(@NotBlank String jwksUrl, @NotBlank String issuer, @NotBlank String audience) {
}
