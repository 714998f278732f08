package io.tilemud.rooms;

import io.micronaut.core.annotation.Nullable;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Invite tokens (ROOM-01): JWTs signed with HMAC-SHA256 (nimbus-jose-jwt) under {@link RoomSettings#inviteKey()},
 * naming the room in {@code sub} and expiring after {@link RoomSettings#inviteTtlSeconds()}. Changing any byte —
 * pointing it at another room included — breaks the signature. Thread-safe.
 */
@Singleton
public class InviteTokens {
    static final String ISSUER = "tilemud";
    static final String AUDIENCE = "tilemud-room-invite";
    private static final JOSEObjectType TYPE = new JOSEObjectType("invite+jwt");

    /** What a presented token is worth. */
    public sealed interface Verdict {
        record Valid(UUID roomId) implements Verdict {
        }

        /** Genuine, but past its expiry. */
        record Expired(UUID roomId) implements Verdict {
        }

        /** Not one of ours: malformed, another algorithm, another key, altered. */
        record Invalid(String why) implements Verdict {
        }
    }

    /** Null when no key is configured: every function builds this bean, only the rooms routes use it. */
    @Nullable
    private final MACSigner signer;
    @Nullable
    private final MACVerifier verifier;
    private final RoomSettings settings;

    /**
     * There is deliberately no default key outside the local stack and the tests (a well-known key would let anyone
     * forge invites): without one, this bean exists but issuing or verifying fails loudly.
     */
    public InviteTokens(RoomSettings settings) {
        this.settings = settings;
        String configured = settings.inviteKey();
        if (configured == null || configured.isEmpty()) {
            this.signer = null;
            this.verifier = null;
            return;
        }
        byte[] key = configured.getBytes(StandardCharsets.UTF_8);
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("tilemud.rooms.invite-key must be at least 32 bytes", e);
        }
    }

    private static IllegalStateException noKey() {
        return new IllegalStateException("no room invite key: set tilemud.rooms.invite-key ("
                + io.tilemud.contract.Environment.ROOMS_INVITE_KEY + ") or "
                + io.tilemud.contract.Environment.ROOMS_INVITE_SECRET_ARN);
    }

    public Invite issue(UUID roomId, Instant now) {
        if (signer == null) {
            throw noKey();
        }
        Instant expires = now.plusSeconds(settings.inviteTtlSeconds());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(roomId.toString())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(TYPE).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("invite not signed", e);
        }
        // Whole seconds: the token's exp has no more precision than that.
        return new Invite(jwt.serialize(), Instant.ofEpochSecond(expires.getEpochSecond()));
    }

    /** The signature is checked before anything the token says is believed, its expiry included. */
    public Verdict verify(String token, Instant now) {
        if (verifier == null) {
            throw noKey();
        }
        if (token == null || token.isBlank() || token.length() > 2048) {
            return new Verdict.Invalid("no token");
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !TYPE.equals(jwt.getHeader().getType())) {
                return new Verdict.Invalid("not an invite");
            }
            if (!jwt.verify(verifier)) {
                return new Verdict.Invalid("bad signature");
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (!ISSUER.equals(claims.getIssuer()) || !List.of(AUDIENCE).equals(claims.getAudience())
                    || claims.getSubject() == null || claims.getExpirationTime() == null) {
                return new Verdict.Invalid("not an invite");
            }
            UUID roomId = UUID.fromString(claims.getSubject());
            if (!now.isBefore(claims.getExpirationTime().toInstant())) {
                return new Verdict.Expired(roomId);
            }
            return new Verdict.Valid(roomId);
        } catch (ParseException | JOSEException | IllegalArgumentException e) {
            return new Verdict.Invalid("malformed");
        }
    }
}
