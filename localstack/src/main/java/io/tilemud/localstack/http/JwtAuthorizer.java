package io.tilemud.localstack.http;

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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What API Gateway's JWT authorizer does in front of the Lambda: verify the bearer token against the issuer's keys,
 * {@code iss}, {@code aud} and {@code exp}, and hand the claims to the function as strings in
 * {@code requestContext.authorizer.jwt.claims} (arrays flattened the way API Gateway does: {@code [a b]}).
 */
final class JwtAuthorizer {
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    JwtAuthorizer(DevIdentityProvider identity) {
        try {
            JWKSet keys = JWKSet.parse(identity.jwksJson());
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(keys)));
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(identity.audience(),
                    new JWTClaimsSet.Builder().issuer(identity.issuer()).build(), Set.of("sub", "exp")));
        } catch (ParseException e) {
            throw new IllegalStateException("dev identity provider served an unreadable JWKS", e);
        }
    }

    /** The claims of a valid {@code Authorization: Bearer} token; empty for a missing or invalid one. */
    Optional<Map<String, String>> authorize(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        try {
            JWTClaimsSet claims = processor.process(authorizationHeader.substring(7).trim(), null);
            Map<String, String> flat = new LinkedHashMap<>();
            claims.getClaims().forEach((name, value) -> flat.put(name, flatten(value)));
            return Optional.of(flat);
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
