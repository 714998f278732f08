package io.tilemud.localstack.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.tilemud.embedded.DevIdentityProvider;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What API Gateway's JWT authorizer does in front of the Lambda: verify the bearer token against the issuer's keys,
 * {@code iss}, {@code aud} and {@code exp}, and hand the claims to the function as strings in
 * {@code requestContext.authorizer.jwt.claims} (arrays flattened the way API Gateway does: {@code [a b]}).
 *
 * <p>A token once accepted is remembered until it expires (with the verifier's clock skew, as the check itself
 * allows): this side is API Gateway's work, not the function's, and verifying the same RS256 signature on every
 * request was a fifth of the local stack's CPU per admission. Refused tokens are never remembered. Thread safe.
 */
final class JwtAuthorizer {
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final DefaultJWTClaimsVerifier<SecurityContext> verifier;
    private final Cache<String, Accepted> accepted = Caffeine.newBuilder().maximumSize(10_000).build();
    private final Clock clock;

    private record Accepted(Map<String, String> claims, Instant usableUntil) {
    }

    JwtAuthorizer(DevIdentityProvider identity) {
        this(identity, Clock.systemUTC());
    }

    JwtAuthorizer(DevIdentityProvider identity, Clock clock) {
        this.clock = clock;
        try {
            JWKSet keys = JWKSet.parse(identity.jwksJson());
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(keys)));
            verifier = new DefaultJWTClaimsVerifier<>(identity.audience(),
                    new JWTClaimsSet.Builder().issuer(identity.issuer()).build(), Set.of("sub", "exp")) {
                @Override
                protected Date currentTime() {
                    return Date.from(clock.instant());
                }
            };
            processor.setJWTClaimsSetVerifier(verifier);
        } catch (ParseException e) {
            throw new IllegalStateException("dev identity provider served an unreadable JWKS", e);
        }
    }

    /** The claims of a valid {@code Authorization: Bearer} token; empty for a missing or invalid one. */
    Optional<Map<String, String>> authorize(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorizationHeader.substring(7).trim();
        Instant now = clock.instant();
        Accepted known = accepted.getIfPresent(token);
        if (known != null) {
            if (now.isBefore(known.usableUntil())) {
                return Optional.of(known.claims());
            }
            accepted.invalidate(token);
        }
        try {
            JWTClaimsSet claims = processor.process(token, null);
            Map<String, String> flat = new LinkedHashMap<>();
            claims.getClaims().forEach((name, value) -> flat.put(name, flatten(value)));
            Map<String, String> shown = Collections.unmodifiableMap(flat);
            // exp is required above; the verifier accepts it up to its clock skew later, and so does this copy.
            accepted.put(token, new Accepted(shown, claims.getExpirationTime().toInstant()
                    .plusSeconds(verifier.getMaxClockSkew())));
            return Optional.of(shown);
        } catch (Exception invalid) {
            return Optional.empty();
        }
    }

    private static String flatten(Object value) {
        if (value instanceof Collection<?> values) {
            return values.stream().map(String::valueOf).collect(Collectors.joining(" ", "[", "]"));
        }
        if (value instanceof java.util.Date date) {
            return Long.toString(date.toInstant().getEpochSecond());
        }
        return String.valueOf(value);
    }
}
