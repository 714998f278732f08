package io.tilemud.localstack.http;

import io.tilemud.embedded.DevIdentityProvider;
import io.tilemud.testing.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emulated JWT authorizer remembers accepted tokens (issue 15) without accepting anything API Gateway would not:
 * a remembered token stops working when the check itself would refuse it, and refused tokens are never remembered.
 */
class JwtAuthorizerTest {
    private static final Instant T0 = Instant.parse("2026-12-02T06:00:00Z");
    private final DevIdentityProvider identity = new DevIdentityProvider("https://issuer.test", "tilemud-test");
    private final SettableClock clock = new SettableClock(T0);
    private final JwtAuthorizer authorizer = new JwtAuthorizer(identity, clock);

    @Test
    void authorize_rememberedToken_sameClaimsUntilItsExpiryAndRefusedAfter() {
        String token = identity.mint("alice", false, T0, Duration.ofMinutes(5));
        Optional<java.util.Map<String, String>> first = authorizer.authorize("Bearer " + token);
        assertTrue(first.isPresent());
        assertEquals("alice", first.get().get("sub"));

        // remembered: the same claims a minute later
        clock.advance(Duration.ofMinutes(1));
        assertEquals(first, authorizer.authorize("Bearer " + token));

        // past exp and the verifier's 60 s skew: refused, remembered or not
        clock.advance(Duration.ofMinutes(5));
        assertTrue(authorizer.authorize("Bearer " + token).isEmpty());
    }

    @Test
    void authorize_tamperedTwinOfARememberedToken_refused() {
        String token = identity.mint("bob", false, T0, Duration.ofHours(1));
        assertTrue(authorizer.authorize("Bearer " + token).isPresent());

        String[] parts = token.split("\\.");
        String forgedSignature = parts[2].substring(0, parts[2].length() - 2) + (parts[2].endsWith("AA") ? "BB" : "AA");
        assertTrue(authorizer.authorize("Bearer " + parts[0] + "." + parts[1] + "." + forgedSignature).isEmpty());
        assertTrue(authorizer.authorize("Bearer " + token).isPresent(), "the real one still works");
    }

    @Test
    void authorize_expiredToken_refusedAndStillRefusedLater() {
        String token = identity.mint("carol", false, T0.minus(Duration.ofHours(2)), Duration.ofHours(1));
        assertTrue(authorizer.authorize("Bearer " + token).isEmpty());
        assertTrue(authorizer.authorize("Bearer " + token).isEmpty());
        assertTrue(authorizer.authorize(null).isEmpty());
        assertTrue(authorizer.authorize("Basic " + token).isEmpty());
    }
}
