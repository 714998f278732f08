package io.tilemud.infra;

import java.util.Objects;

/**
 * What both the HTTP API's JWT authorizer and the functions need to verify an access token. Values may be CDK
 * tokens (the Cognito pool's URL is only known at deploy time).
 *
 * @param issuer   expected {@code iss}
 * @param audience expected {@code aud}; for Cognito access tokens, the app client id (carried as {@code client_id})
 * @param jwksUrl  where the signing keys are published
 */
public record JwtIssuer(String issuer, String audience, String jwksUrl) {
    public JwtIssuer {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(jwksUrl, "jwksUrl");
    }
}
