package io.tilemud.websocket;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.tilemud.admission.AdmissionResult;
import io.tilemud.connection.ConnectionRegistry;
import io.tilemud.embedded.EmbeddedRedis;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.error.ErrorCode;
import io.tilemud.websocket.connect.ConnectHandler;
import io.tilemud.websocket.support.CacheLostOnRegister;
import io.tilemud.websocket.support.GameFixture;
import io.tilemud.websocket.support.RecordingMessenger;
import io.tilemud.websocket.support.WebSocketEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, the last window for a second session: the cache is lost between {@code $connect}'s activation and its
 * registry write, so a rebuild right then restores the ledger without that session. The handshake must not go on to
 * play, or the same character could be admitted to another instance and play twice. Its own Redis: it is emptied.
 */
class CacheLostDuringConnectTest {
    private static EmbeddedRedis redis;
    private static ApplicationContext context;

    @BeforeAll
    static void start() throws Exception {
        redis = EmbeddedRedis.start(Files.createTempDirectory("tilemud-redis-lost-"));
        Map<String, Object> properties = new HashMap<>(SharedTestInfra.get().properties());
        properties.put("redis.uri", redis.url());
        properties.put("tilemud.test.cache-lost-on-register", "true");
        context = ApplicationContext.builder().properties(properties).singletons(new RecordingMessenger()).start();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void connect_cacheLostBetweenActivationAndRegistryWrite_handshakeRefused_andTheCharacterPlaysNowhereTwice()
            throws Exception {
        // GIVEN an admitted player about to open its socket
        GameFixture game = new GameFixture(context);
        String world = game.instance(5);
        String other = game.instance(5);
        GameFixture.Player lost = game.player("Lost");
        var admitted = assertInstanceOf(AdmissionResult.Admitted.class, game.admit(lost, world));
        // WHEN the cache is lost right after the activation and rebuilt (by some other request) before the connection
        // is in the registry
        context.getBean(CacheLostOnRegister.class).arm();
        String connectionId = UUID.randomUUID().toString();
        APIGatewayV2WebSocketResponse response = new ConnectHandler(context).handleRequest(WebSocketEvents.connect(
                connectionId, lost.subject(), Map.of("sessionId", admitted.sessionId())), new LocalLambdaContext());
        // THEN the handshake is refused, transiently, and the socket left no registry entry behind
        assertEquals(503, response.getStatusCode(), response.getBody());
        assertEquals(ErrorCode.SERVICE_DEGRADED.name(),
                new ObjectMapper().readTree(response.getBody()).get("code").asText());
        assertTrue(context.getBean(ConnectionRegistry.class).find(connectionId).isEmpty());
        // AND the character can be admitted again — once, on one instance — and then nowhere else
        AdmissionResult again = game.admit(lost, other);
        assertInstanceOf(AdmissionResult.Admitted.class, again, String.valueOf(again));
        AdmissionResult third = game.admit(lost, world);
        assertTrue(third instanceof AdmissionResult.Rejected r && r.reason() == ErrorCode.ALREADY_IN_SESSION,
                String.valueOf(third));
    }
}
