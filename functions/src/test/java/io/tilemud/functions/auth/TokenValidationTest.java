package io.tilemud.functions.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.functions.support.Tokens;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ADM-01: only valid, unexpired, untampered tokens of our issuer and audience get in. */
class TokenValidationTest {
    private final HttpFunction api = HttpFunction.shared();

    private HttpResult listCharactersWith(String token) {
        var request = HttpEvents.get("/characters");
        if (token != null) {
            request.bearer(token);
        }
        return api.send(request);
    }

    private static void assertNotAuthenticated(HttpResult result) {
        assertEquals(401, result.status(), result.body());
        assertEquals("NOT_AUTHENTICATED", result.json().get("code").asText());
        assertFalse(result.json().get("transient").asBoolean());
    }

    @Test
    void characters_validToken_isAccepted() {
        assertEquals(200, listCharactersWith(Tokens.newPlayer()).status());
    }

    @Test
    void characters_noToken_notAuthenticated() {
        assertNotAuthenticated(listCharactersWith(null));
    }

    @Test
    void characters_garbageToken_notAuthenticated() {
        assertNotAuthenticated(listCharactersWith("not-a-jwt"));
    }

    @Test
    void characters_tamperedPayload_notAuthenticated() {
        // GIVEN a real token whose payload is swapped for another subject, signature kept
        String[] parts = Tokens.newPlayer().split("\\.");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"someone-else\",\"iss\":\"" + Tokens.idp().issuer() + "\",\"aud\":\"tilemud\",\"exp\":"
                        + (Instant.now().getEpochSecond() + 3600) + "}").getBytes());
        // WHEN / THEN
        assertNotAuthenticated(listCharactersWith(parts[0] + "." + forged + "." + parts[2]));
    }

    @Test
    void characters_expiredToken_notAuthenticated() {
        String expired = Tokens.idp().mint("player-" + UUID.randomUUID(), false,
                Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
        assertNotAuthenticated(listCharactersWith(expired));
    }

    @Test
    void characters_wrongIssuer_notAuthenticated() {
        var claims = Tokens.idp().claims("player-" + UUID.randomUUID(), false, Instant.now(), Duration.ofHours(1))
                .issuer("https://evil.example").build();
        assertNotAuthenticated(listCharactersWith(Tokens.idp().sign(claims)));
    }

    @Test
    void characters_wrongAudience_notAuthenticated() {
        var claims = Tokens.idp().claims("player-" + UUID.randomUUID(), false, Instant.now(), Duration.ofHours(1))
                .audience("another-app").build();
        assertNotAuthenticated(listCharactersWith(Tokens.idp().sign(claims)));
    }

    @Test
    void characters_cognitoAccessTokenWithClientIdAndNoAud_isAccepted() {
        // GIVEN a token shaped like a Cognito access token: client_id names the app client, no aud at all
        var claims = Tokens.idp().claims("player-" + UUID.randomUUID(), false, Instant.now(), Duration.ofHours(1))
                .audience((String) null).claim("client_id", Tokens.idp().audience()).build();
        assertEquals(200, listCharactersWith(Tokens.idp().sign(claims)).status());
    }

    @Test
    void characters_noAudAndForeignClientId_notAuthenticated() {
        var claims = Tokens.idp().claims("player-" + UUID.randomUUID(), false, Instant.now(), Duration.ofHours(1))
                .audience((String) null).claim("client_id", "someone-elses-client").build();
        assertNotAuthenticated(listCharactersWith(Tokens.idp().sign(claims)));
    }

    @Test
    void characters_algNone_notAuthenticated() {
        var claims = Tokens.idp().claims("player-" + UUID.randomUUID(), false, Instant.now(), Duration.ofHours(1)).build();
        assertNotAuthenticated(listCharactersWith(new PlainJWT(claims).serialize()));
    }

    @Test
    void characters_signedByUnknownKey_notAuthenticated() throws Exception {
        // GIVEN a well-formed token with our claims, signed by a key the issuer never published
        var foreignKey = new RSAKeyGenerator(2048).keyID("foreign").generate();
        JWTClaimsSet claims = Tokens.idp().claims("player-" + UUID.randomUUID(), false, Instant.now(), Duration.ofHours(1)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("foreign").type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(foreignKey));
        assertNotAuthenticated(listCharactersWith(jwt.serialize()));
    }

    @Test
    void characters_spoofedIdentityHeaderOrAuthorizerClaimsWithoutToken_notAuthenticated() {
        // GIVEN a client that sends the header an ALB would set, and an event whose authorizer claims name a user
        var request = HttpEvents.get("/characters").header("x-amzn-oidc-identity", "victim");
        request.build().getRequestContext().getAuthorizer().getJwt().setClaims(java.util.Map.of("sub", "victim"));
        // WHEN / THEN: only a validated bearer token authenticates
        assertNotAuthenticated(api.send(request));
    }

    @Test
    void securityFilter_seesOnlyTheCachingValidator() {
        // The cache is installed around Micronaut's validator, not beside it: a refused token is checked once.
        var validators = api.context().getBeansOfType(io.micronaut.security.token.validator.TokenValidator.class);
        assertEquals(1, validators.size(), validators.toString());
        assertTrue(validators.iterator().next() instanceof io.tilemud.auth.CachingTokenValidator<?>, validators.toString());
    }

    @Test
    void characters_cachedTokenThenItsTamperedTwin_twinNotAuthenticated() {
        // GIVEN a token that was accepted (and so remembered)
        String token = Tokens.newPlayer();
        assertEquals(200, listCharactersWith(token).status());
        // WHEN its payload is swapped for another subject, signature kept
        String[] parts = token.split("\\.");
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"someone-else\",\"iss\":\"" + Tokens.idp().issuer() + "\",\"aud\":\"tilemud\",\"exp\":"
                        + (Instant.now().getEpochSecond() + 3600) + "}").getBytes());
        // THEN the twin is checked in full and refused; the original still works
        assertNotAuthenticated(listCharactersWith(parts[0] + "." + forged + "." + parts[2]));
        assertEquals(200, listCharactersWith(token).status());
    }

    @Test
    void characters_cachedTokenPastItsExp_notAuthenticated() throws InterruptedException {
        // GIVEN a token expiring in 2 s, accepted twice (the second time from the cache)
        Instant issued = Instant.now();
        String token = Tokens.idp().mint("player-" + UUID.randomUUID(), false, issued, Duration.ofSeconds(2));
        assertEquals(200, listCharactersWith(token).status());
        assertEquals(200, listCharactersWith(token).status());
        // WHEN its exp (whole seconds) has passed on the system clock
        long expMillis = (issued.getEpochSecond() + 2) * 1000;
        Thread.sleep(Math.max(0, expMillis - System.currentTimeMillis()) + 1100);
        // THEN it no longer gets in
        assertNotAuthenticated(listCharactersWith(token));
    }
}
