package io.tilemud.localstack;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A new user with one active character, admitted to the seeded instance through the local stack's HTTP API. */
final class Players {
    record Player(String token, String characterId, String sessionId, String reconnectionToken) {
    }

    private Players() {
    }

    static Player admitted(int http, String name) {
        String token = Http.token(http, "e2e-" + UUID.randomUUID(), false);
        HttpResponse<String> created = Http.send(Http.to(http, "/characters").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")));
        String characterId = Http.json(created).get("id").asText();
        Http.send(Http.to(http, "/me/active-character").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"characterId\":\"" + characterId + "\"}")));
        HttpResponse<String> admitted = Http.send(Http.to(http, "/instances/" + LocalStack.SEED_INSTANCE + "/connect")
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"characterId\":\"" + characterId + "\",\"clientBuild\":\"dev\"}")));
        JsonNode body = Http.json(admitted);
        assertEquals("success", body.get("outcome").asText(), admitted.body());
        return new Player(token, characterId, body.get("sessionId").asText(), body.get("reconnectionToken").asText());
    }
}
