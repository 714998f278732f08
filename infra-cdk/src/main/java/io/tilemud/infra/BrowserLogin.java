package io.tilemud.infra;

import java.util.Objects;

/**
 * What the browser client needs to log a player in with the OAuth 2.0 authorization code flow + PKCE: it is written
 * into the client's {@code config.json}. Values may be CDK tokens (the Cognito domain and client id are only known
 * at deploy time). The redirect URI is not here: it is the client's own URL, which the web hosting knows.
 *
 * @param issuer                expected {@code iss} of the tokens (the same as {@link JwtIssuer#issuer()})
 * @param authorizationEndpoint where the browser sends the player to log in
 * @param tokenEndpoint         where the browser exchanges the code (and later the refresh token) for tokens
 * @param clientId              the public client (no secret) registered for the browser
 * @param scope                 space-separated scopes requested
 */
public record BrowserLogin(String issuer, String authorizationEndpoint, String tokenEndpoint, String clientId,
                           String scope) {
    public BrowserLogin {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(authorizationEndpoint, "authorizationEndpoint");
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(scope, "scope");
    }
}
