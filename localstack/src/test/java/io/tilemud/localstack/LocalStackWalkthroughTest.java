package io.tilemud.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README walk-through, over real HTTP against the running local stack (OPS-04). */
class LocalStackWalkthroughTest {
    private final int port = RunningLocalStack.get().httpPort();

    @Test
    void health_freshStack_upWithEveryDependency() {
        HttpResponse<String> response = Http.send(Http.to(port, "/health"));

        assertEquals(200, response.statusCode(), response.body());
        JsonNode health = Http.json(response);
        assertEquals("UP", health.get("status").asText());
        assertEquals("UP", health.get("db").asText());
        assertEquals("UP", health.get("cache").asText());
        assertEquals("UP", health.get("connections").asText());
    }

    @Test
    void walkthrough_tokenCharacterSelect_worksLikeTheReadme() {
        // GIVEN a dev token from the local identity provider
        String token = Http.token(port, "walker-" + UUID.randomUUID(), false);
        // WHEN the player creates and selects a character
        HttpResponse<String> created = Http.send(Http.to(port, "/characters").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Walker\"}")));
        String id = Http.json(created).get("id").asText();
        HttpResponse<String> selected = Http.send(Http.to(port, "/me/active-character").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"characterId\":\"" + id + "\"}")));
        HttpResponse<String> listed = Http.send(Http.to(port, "/characters").header("Authorization", "Bearer " + token));
        // THEN
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(204, selected.statusCode(), selected.body());
        assertTrue(Http.json(listed).get(0).get("active").asBoolean());
    }

    @Test
    void seededInstance_world1_readableByAdmin() {
        HttpResponse<String> response = Http.send(Http.to(port, "/admin/instances/world-1")
                .header("Authorization", "Bearer " + Http.token(port, "ops", true)));

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(100, Http.json(response).get("capacity").asInt());
        assertEquals("ACCEPTING", Http.json(response).get("state").asText());
    }

    @Test
    void protectedRoute_missingOrForgedToken_rejectedByAuthorizerLikeApiGateway() {
        HttpResponse<String> missing = Http.send(Http.to(port, "/characters"));
        HttpResponse<String> forged = Http.send(Http.to(port, "/characters").header("Authorization", "Bearer abc.def.ghi"));

        assertEquals(401, missing.statusCode());
        assertEquals("Unauthorized", Http.json(missing).get("message").asText());
        assertEquals(401, forged.statusCode());
    }

    @Test
    void devToken_badRequests_clearErrors() {
        HttpResponse<String> noSubject = Http.send(Http.to(port, "/dev/token").POST(HttpRequest.BodyPublishers.ofString("{}")));
        HttpResponse<String> notJson = Http.send(Http.to(port, "/dev/token").POST(HttpRequest.BodyPublishers.ofString("sub=alice")));
        HttpResponse<String> wrongMethod = Http.send(Http.to(port, "/dev/token"));

        assertEquals(400, noSubject.statusCode());
        assertEquals("VALIDATION_FAILED", Http.json(noSubject).get("code").asText());
        assertEquals(400, notJson.statusCode());
        assertEquals(405, wrongMethod.statusCode());
        assertFalse(Http.json(wrongMethod).get("transient").asBoolean());
    }

    @Test
    void jwks_servedForOidcClients() {
        HttpResponse<String> jwks = Http.send(Http.to(port, "/dev/jwks.json"));
        HttpResponse<String> discovery = Http.send(Http.to(port, "/dev/.well-known/openid-configuration"));

        assertEquals("RSA", Http.json(jwks).get("keys").get(0).get("kty").asText());
        assertEquals("http://127.0.0.1:" + port + "/dev", Http.json(discovery).get("issuer").asText());
    }
}
