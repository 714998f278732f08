package io.tilemud.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.JWT;
import io.micronaut.core.annotation.Nullable;
import io.tilemud.admission.TokenGenerator;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.jwt.validator.JwtAuthenticationFactory;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * Micronaut's JWT validator with a memory of tokens it already accepted (issue 15: every request paid the signature
 * check, claim checks and authentication building again, for the same token a client sends for an hour). Installed
 * around Micronaut's own validator by {@link TokenCacheInstaller}, so there is still exactly one way in: a bearer
 * token that passed signature, issuer, audience, subject and expiry checks once.
 *
 * <ul>
 *   <li>Only accepted tokens are remembered; a refused one is checked in full every time.</li>
 *   <li>The key is the token's SHA-256 digest ({@link TokenGenerator#digest}, as stored tokens are kept), never the
 *       token itself: a heap dump does not hand out tokens, and a token differing in any byte (a forged payload) is
 *       a different key.</li>
 *   <li>An entry vouches for its token while the injected clock is before the token's {@code exp}, and at most
 *       {@link TokenCacheSettings#maxAgeSeconds()} after it was verified; a token without {@code exp} is never
 *       remembered. Past that the token goes through the full check again, whose expiry test (Micronaut's) reads
 *       the system clock, as the injected one does in every deployment. Tests move the injected clock ahead of the
 *       system's, which only makes the cache vouch for less.</li>
 *   <li>Bounded: at most {@link TokenCacheSettings#maxEntries()} entries.</li>
 * </ul>
 * Thread-safe.
 *
 * @param <R> the request type
 */
public final class CachingTokenValidator<R> implements ReactiveJsonWebTokenValidator<JWT, R> {
    private final ReactiveJsonWebTokenValidator<JWT, R> delegate;
    private final JwtAuthenticationFactory authentications;
    private final Clock clock;
    private final Duration maxAge;
    private final Cache<String, Verified> verified;
    private final TokenGenerator tokens;

    private record Verified(Authentication authentication, Instant validUntil) {
    }

    public CachingTokenValidator(ReactiveJsonWebTokenValidator<JWT, R> delegate, JwtAuthenticationFactory authentications,
                                 TokenCacheSettings settings, Clock clock, TokenGenerator tokens) {
        this.delegate = delegate;
        this.tokens = tokens;
        this.authentications = authentications;
        this.clock = clock;
        this.maxAge = Duration.ofSeconds(settings.maxAgeSeconds());
        // Eviction by age only frees memory; validity is checked against the injected clock on every read.
        this.verified = Caffeine.newBuilder().maximumSize(settings.maxEntries()).expireAfterWrite(maxAge).build();
    }

    @Override
    public Publisher<Authentication> validateToken(String token, @Nullable R request) {
        String key = tokens.digest(token);
        Verified hit = verified.getIfPresent(key);
        if (hit != null) {
            if (clock.instant().isBefore(hit.validUntil())) {
                return Mono.just(hit.authentication());
            }
            verified.invalidate(key);
        }
        return Mono.from(delegate.validate(token, request)).flatMap(jwt -> {
            Optional<Authentication> authentication = authentications.createAuthentication(jwt);
            Instant expiresAt = expiry(jwt);
            if (authentication.isPresent() && expiresAt != null) {
                Instant now = clock.instant();
                Instant cap = now.plus(maxAge);
                Instant validUntil = expiresAt.isBefore(cap) ? expiresAt : cap;
                if (now.isBefore(validUntil)) {
                    verified.put(key, new Verified(authentication.get(), validUntil));
                }
            }
            return Mono.justOrEmpty(authentication);
        });
    }

    @Override
    public Publisher<JWT> validate(String token, @Nullable R request) {
        return delegate.validate(token, request);
    }

    @Override
    public int getOrder() {
        return delegate.getOrder();
    }

    private static @Nullable Instant expiry(JWT jwt) {
        try {
            Date exp = jwt.getJWTClaimsSet().getExpirationTime();
            return exp == null ? null : exp.toInstant();
        } catch (ParseException e) {
            // The delegate parsed these claims a moment ago; unreadable now means "do not remember it".
            return null;
        }
    }
}
