package io.tilemud.auth;

import com.nimbusds.jwt.JWT;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.security.token.jwt.validator.JwtAuthenticationFactory;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import io.tilemud.admission.TokenGenerator;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * Puts {@link CachingTokenValidator} around Micronaut's JWT validator as it is created, so the security filter (and
 * the WebSocket authorizer, which asks the context for every {@code TokenValidator}) only ever see the caching one.
 * Wrapping instead of adding a second validator: with two, a refused token would be checked twice.
 */
@Singleton
public class TokenCacheInstaller implements BeanCreatedEventListener<ReactiveJsonWebTokenValidator<JWT, Object>> {
    private final BeanProvider<JwtAuthenticationFactory> authentications;
    private final TokenCacheSettings settings;
    private final Clock clock;
    private final TokenGenerator tokens;

    public TokenCacheInstaller(BeanProvider<JwtAuthenticationFactory> authentications, TokenCacheSettings settings,
                               Clock clock, TokenGenerator tokens) {
        this.authentications = authentications;
        this.tokens = tokens;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public ReactiveJsonWebTokenValidator<JWT, Object> onCreated(BeanCreatedEvent<ReactiveJsonWebTokenValidator<JWT, Object>> event) {
        ReactiveJsonWebTokenValidator<JWT, Object> validator = event.getBean();
        return validator instanceof CachingTokenValidator<Object> ? validator
                : new CachingTokenValidator<>(validator, authentications.get(), settings, clock, tokens);
    }
}
