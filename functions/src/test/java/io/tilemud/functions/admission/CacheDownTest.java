package io.tilemud.functions.admission;

import io.tilemud.functions.admission.AdmissionFixtures.Player;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.instance.InstanceState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ADM-20: with Redis unreachable every admission route answers a transient SERVICE_DEGRADED, never a 500. */
class CacheDownTest {
    private static IsolatedFunction noCache;
    private final AdmissionFixtures fx = new AdmissionFixtures(HttpFunction.shared());

    @BeforeAll
    static void start() {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        noCache = new IsolatedFunction(Map.of("redis.uri", "redis://127.0.0.1:" + closedPort));
    }

    @AfterAll
    static void stop() {
        noCache.close();
    }

    @Test
    void connect_redisDown_failsServiceDegradedWithRetryAfter() {
        // GIVEN a valid player and instance, but no cache
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        Player p = fx.player();
        // WHEN
        IsolatedFunction.Response r = noCache.send(HttpEvents.request("POST", "/instances/" + instance + "/connect")
                .bearer(p.token())
                .json("{\"characterId\":\"" + p.characterId() + "\",\"clientBuild\":\"" + AdmissionFixtures.BUILD + "\"}"));
        // THEN
        assertEquals(200, r.status());
        assertEquals("{\"outcome\":\"failed\",\"reason\":\"SERVICE_DEGRADED\",\"retryAfterSeconds\":5}", r.json().toString());
        assertEquals("5", r.headers().get("retry-after"));
        assertEquals(0, fx.slots(instance));
    }

    @Test
    void queueStatusAndLeave_redisDown_answer503ServiceDegraded() {
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        Player p = fx.player();
        IsolatedFunction.Response status = noCache.send(HttpEvents.get("/instances/" + instance
                + "/queue/status?characterId=" + p.characterId()).bearer(p.token()));
        assertEquals(503, status.status());
        assertEquals("SERVICE_DEGRADED", status.json().get("code").asText());
        assertEquals(true, status.json().get("transient").asBoolean());
        IsolatedFunction.Response leave = noCache.send(HttpEvents.request("DELETE", "/sessions/abc").bearer(p.token()));
        assertEquals(503, leave.status());
        assertEquals("SERVICE_DEGRADED", leave.json().get("code").asText());
    }
}
