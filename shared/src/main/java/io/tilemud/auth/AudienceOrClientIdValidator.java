package io.tilemud.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;

import java.util.Collection;

/**
 * ADM-01 audience check that also accepts Cognito access tokens: they name the app client in {@code client_id} and
 * carry no {@code aud} (ID tokens and most other issuers use {@code aud}). Micronaut's own audience validator would
 * refuse every Cognito access token, so it is not configured.
 */
@Singleton
public class AudienceOrClientIdValidator<T> implements GenericJwtClaimsValidator<T> {
    static final String CLIENT_ID = "client_id";

    private final String audience;

    public AudienceOrClientIdValidator(AuthSettings settings) {
        this.audience = settings.audience();
    }

    @Override
    public boolean validate(Claims claims, @Nullable T request) {
        Object aud = claims.get(Claims.AUDIENCE);
        if (aud instanceof Collection<?> audiences) {
            return audiences.contains(audience);
        }
        if (aud != null) {
            return audience.equals(aud.toString());
        }
        return audience.equals(claims.get(CLIENT_ID));
    }
}
