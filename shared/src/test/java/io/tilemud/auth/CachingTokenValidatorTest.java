package io.tilemud.auth;

import io.tilemud.testing.SettableClock;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The verified-token cache: it vouches for an accepted token until its {@code exp} (by the injected clock) and never
 * for a refused or a different one. The delegate stands for Micronaut's full check; it answers what it is told to.
 */
class CachingTokenValidatorTest {
    private static final Instant T0 = Instant.parse("2026-12-02T06:00:00Z");

    /** Micronaut's validator as a stub: counts full checks; accepts while {@link #accepting}. */
    private static final class FullCheck implements ReactiveJsonWebTokenValidator<JWT, Object> {
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean accepting = true;
        volatile Instant exp;

        FullCheck(Instant exp) {
            this.exp = exp;
        }

        @Override
        public Publisher<JWT> validate(String token, Object request) {
            calls.incrementAndGet();
            if (!accepting) {
                return Mono.empty();
            }
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("player-" + token);
            if (exp != null) {
                claims.expirationTime(Date.from(exp));
            }
            return Mono.just(new PlainJWT(claims.build()));
        }

        @Override
        public Publisher<Authentication> validateToken(String token, Object request) {
            throw new AssertionError("the cache builds the authentication itself");
        }
    }

    private final SettableClock clock = new SettableClock(T0);

    private CachingTokenValidator<Object> cache(FullCheck check, int maxAgeSeconds) {
        return new CachingTokenValidator<>(check, jwt -> {
            try {
                return Optional.of(Authentication.build(jwt.getJWTClaimsSet().getSubject()));
            } catch (java.text.ParseException e) {
                throw new IllegalStateException(e);
            }
        }, new TokenCacheSettings(100, maxAgeSeconds), clock, new io.tilemud.admission.TokenGenerator());
    }

    private static Authentication validate(CachingTokenValidator<Object> cache, String token) {
        return Mono.from(cache.validateToken(token, null)).block();
    }

    @Test
    void validateToken_sameTokenAgainBeforeExp_servedWithoutFullCheck() {
        FullCheck check = new FullCheck(T0.plusSeconds(60));
        CachingTokenValidator<Object> cache = cache(check, 300);
        Authentication first = validate(cache, "a");
        clock.set(T0.plusSeconds(59));
        assertSame(first, validate(cache, "a"));
        assertEquals("player-a", first.getName());
        assertEquals(1, check.calls.get());
    }

    @Test
    void validateToken_cachedTokenAtItsExp_checkedInFullAndRefused() {
        // GIVEN a token accepted and remembered, expiring at T0 + 60 s
        FullCheck check = new FullCheck(T0.plusSeconds(60));
        CachingTokenValidator<Object> cache = cache(check, 300);
        validate(cache, "a");
        // WHEN the injected clock reaches its exp (and the full check, seeing it expired, refuses it)
        clock.set(T0.plusSeconds(60));
        check.accepting = false;
        // THEN the cache no longer vouches: the full check ran again and its refusal stands, also the next time
        assertNull(validate(cache, "a"));
        assertNull(validate(cache, "a"));
        assertEquals(3, check.calls.get());
    }

    @Test
    void validateToken_refusedToken_neverRemembered() {
        FullCheck check = new FullCheck(T0.plusSeconds(60));
        check.accepting = false;
        CachingTokenValidator<Object> cache = cache(check, 300);
        assertNull(validate(cache, "forged"));
        check.accepting = true;
        // The next attempt is checked in full again (here the stub accepts it, showing it was not served from memory).
        assertEquals("player-forged", validate(cache, "forged").getName());
        assertEquals(2, check.calls.get());
    }

    @Test
    void validateToken_differentTokenOfSameLength_checkedInFull() {
        FullCheck check = new FullCheck(T0.plusSeconds(60));
        CachingTokenValidator<Object> cache = cache(check, 300);
        validate(cache, "token-1");
        check.accepting = false;
        assertNull(validate(cache, "token-2"));
        assertEquals(2, check.calls.get());
    }

    @Test
    void validateToken_longLivedTokenAfterMaxAge_checkedInFullAgain() {
        FullCheck check = new FullCheck(T0.plus(Duration.ofHours(1)));
        CachingTokenValidator<Object> cache = cache(check, 300);
        validate(cache, "a");
        clock.set(T0.plusSeconds(299));
        validate(cache, "a");
        assertEquals(1, check.calls.get());
        // WHEN the issuer withdrew the signing key meanwhile, the full check refuses the token
        clock.set(T0.plusSeconds(300));
        check.accepting = false;
        assertNull(validate(cache, "a"));
        assertEquals(2, check.calls.get());
    }

    @Test
    void validateToken_tokenWithoutExp_neverRemembered() {
        FullCheck check = new FullCheck(null);
        CachingTokenValidator<Object> cache = cache(check, 300);
        validate(cache, "a");
        validate(cache, "a");
        assertEquals(2, check.calls.get());
    }
}
