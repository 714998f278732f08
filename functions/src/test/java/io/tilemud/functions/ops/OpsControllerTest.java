package io.tilemud.functions.ops;

import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.HttpResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OpsControllerTest {
    private final HttpFunction api = HttpFunction.shared();

    @Test
    void health_allDependenciesUp_reportsUpWithBuild() {
        // WHEN
        HttpResult result = api.send(HttpEvents.get("/health"));
        // THEN: real probes of PostgreSQL, Redis and DynamoDB Local all answered
        assertEquals(200, result.status(), result.body());
        assertEquals("UP", result.json().get("status").asText(), result.body());
        assertEquals("UP", result.json().get("db").asText());
        assertEquals("UP", result.json().get("cache").asText());
        assertEquals("UP", result.json().get("connections").asText());
        assertEquals("dev", result.json().get("build").asText());
    }

    @Test
    void version_noToken_returnsBuildAndProtocol() {
        HttpResult result = api.send(HttpEvents.get("/version"));

        assertEquals(200, result.status());
        assertEquals("dev", result.json().get("build").asText());
        assertEquals(1, result.json().get("protocol").asInt());
    }

    @Test
    void unknownRoute_anyCaller_answers404WithErrorContract() {
        HttpResult result = api.send(HttpEvents.get("/no-such-thing"));

        assertEquals(404, result.status());
        assertEquals("NOT_FOUND", result.json().get("code").asText());
        assertEquals(false, result.json().get("transient").asBoolean());
    }
}
