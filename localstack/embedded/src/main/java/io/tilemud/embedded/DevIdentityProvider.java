package io.tilemud.embedded;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The local stack's OIDC issuer: an RSA key pair made at start, its JWKS, and RS256 access tokens shaped like
 * Cognito's (admin role in {@code cognito:groups}). It exists only in the local stack and tests, never in Lambda.
 */
public final class DevIdentityProvider {
    public static final String ADMIN_GROUP = "admin";
    public static final String GROUPS_CLAIM = "cognito:groups";

    private final String issuer;
    private final String audience;
    private final RSAKey key;

    public DevIdentityProvider(String issuer, String audience) {
        this.issuer = issuer;
        this.audience = audience;
        try {
            this.key = new RSAKeyGenerator(2048)
                    .keyID(UUID.randomUUID().toString())
                    .algorithm(JWSAlgorithm.RS256)
                    .keyUse(KeyUse.SIGNATURE)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the dev signing key", e);
        }
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    /** The public key set, as served at the JWKS URL. */
    public String jwksJson() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** A token valid for one hour from now. */
    public String mint(String subject, boolean admin) {
        return mint(subject, admin, Instant.now(), Duration.ofHours(1));
    }

    public String mint(String subject, boolean admin, Instant issuedAt, Duration ttl) {
        return sign(claims(subject, admin, issuedAt, ttl).build());
    }

    /** Signs arbitrary claims with the real key: tests use it for wrong-issuer or wrong-audience tokens. */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a dev token", e);
        }
    }

    public JWTClaimsSet.Builder claims(String subject, boolean admin, Instant issuedAt, Duration ttl) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(subject)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(issuedAt))
                .notBeforeTime(Date.from(issuedAt.minusSeconds(1)))
                .expirationTime(Date.from(issuedAt.plus(ttl)))
                .claim("token_use", "access")
                .claim(GROUPS_CLAIM, admin ? List.of(ADMIN_GROUP) : List.of());
    }
}
