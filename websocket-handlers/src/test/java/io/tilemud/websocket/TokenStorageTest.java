package io.tilemud.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.context.ApplicationContext;
import io.tilemud.admission.AdmissionResult;
import io.tilemud.admission.TokenGenerator;
import io.tilemud.cache.CacheConnection;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.error.ErrorCode;
import io.tilemud.websocket.connect.DisconnectHandler;
import io.tilemud.websocket.realtime.IntentHandler;
import io.tilemud.websocket.support.GameFixture;
import io.tilemud.websocket.support.RecordingMessenger;
import io.tilemud.websocket.support.WebSocketEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11: reconnection and replace tokens were stored in clear in Redis, so anyone who could read the cache (a
 * snapshot, a replica, {@code MONITOR}) could take a session over. Now only their SHA-256 digests are stored: this
 * reads every key and value in Redis after each token is handed out and looks for the clear tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenStorageTest {
    private final RecordingMessenger messenger = new RecordingMessenger();
    private ApplicationContext context;
    private GameFixture game;
    private DisconnectHandler disconnect;
    private IntentHandler intents;

    @BeforeAll
    void start() {
        context = ApplicationContext.builder().properties(new HashMap<>(SharedTestInfra.get().properties()))
                .singletons(messenger).start();
        game = new GameFixture(context);
        disconnect = new DisconnectHandler(context);
        intents = new IntentHandler(context);
    }

    @AfterAll
    void stop() {
        context.close();
    }





    private JsonNode resume(String connectionId) {
        intents.handleRequest(WebSocketEvents.message(connectionId, "resume", "{\"type\":\"resume\",\"lastSeq\":0}"),
                new LocalLambdaContext());
        return messenger.nextReply(connectionId);
    }

    /** Every key and every value held in Redis, as one string to search. */
    private String everythingInRedis() {
        RedisCommands<String, String> redis = context.getBean(CacheConnection.class).current().orElseThrow().sync();
        StringBuilder all = new StringBuilder();
        for (String key : redis.keys("*")) {
            all.append(key).append('\n');
            switch (redis.type(key)) {
                case "string" -> all.append(redis.get(key));
                case "hash" -> redis.hgetall(key).forEach((k, v) -> all.append(k).append('=').append(v).append('\n'));
                case "zset" -> redis.zrange(key, 0, -1).forEach(m -> all.append(m).append('\n'));
                case "set" -> redis.smembers(key).forEach(m -> all.append(m).append('\n'));
                case "list" -> redis.lrange(key, 0, -1).forEach(m -> all.append(m).append('\n'));
                default -> all.append("?type\n");
            }
            all.append('\n');
        }
        return all.toString();
    }

    @Test
    void tokens_handedOutAtEveryStep_onlyTheirDigestsAreInRedis_andEachRotationVoidsThePreviousToken() {
        TokenGenerator tokens = context.getBean(TokenGenerator.class);
        String world = game.instance(5);
        GameFixture.Player a = game.player("Tok");
        // GIVEN A admitted (token T0), connected, and resumed on its socket (token T1 in the snapshot)
        var admitted = assertInstanceOf(AdmissionResult.Admitted.class, game.admit(a, world, null));
        String t0 = admitted.reconnectionToken();
        String conn1 = UUID.randomUUID().toString();
        assertEquals(200, game.connect(a, conn1, Map.of("sessionId", admitted.sessionId())));
        String t1 = resume(conn1).path("reconnectionToken").asText();
        assertFalse(t1.isEmpty());
        assertNotEquals(t0, t1);
        // AND a second tab offered a replace token R
        var offered = assertInstanceOf(AdmissionResult.Rejected.class, game.admit(a, world, null));
        assertEquals(ErrorCode.ALREADY_IN_SESSION, offered.reason());
        String r = offered.replaceToken();
        assertTrue(r != null && !r.isEmpty());
        // THEN Redis holds none of the tokens in clear, and does hold the current ones' digests
        String redis = everythingInRedis();
        for (String clear : new String[]{t0, t1, r}) {
            assertFalse(redis.contains(clear), "a clear token is in Redis");
        }
        assertTrue(redis.contains(tokens.digest(t1)), "the current reconnection token's digest is stored");
        assertTrue(redis.contains(tokens.digest(r)), "the replace offer's digest is stored");
        // WHEN A drops: the superseded T0 is refused (403), and nothing changed — T1 still brings A back
        disconnect.handleRequest(WebSocketEvents.disconnect(conn1), new LocalLambdaContext());
        assertEquals(403, game.connect(a, UUID.randomUUID().toString(),
                Map.of("sessionId", admitted.sessionId(), "reconnectionToken", t0)));
        // AND a digest presented as if it were the token is refused too (the stored form is not a credential)
        assertEquals(403, game.connect(a, UUID.randomUUID().toString(),
                Map.of("sessionId", admitted.sessionId(), "reconnectionToken", tokens.digest(t1))));
        String conn2 = UUID.randomUUID().toString();
        assertEquals(200, game.connect(a, conn2, Map.of("sessionId", admitted.sessionId(), "reconnectionToken", t1)));
        // AND T1 is single-use: spent by that reconnect
        String t2 = resume(conn2).path("reconnectionToken").asText();
        assertFalse(t2.isEmpty());
        assertFalse(everythingInRedis().contains(t2), "the rotated token is not stored in clear either");
        // AND the replace token (clear) still replaces the session: the digest comparison works end to end
        var replaced = assertInstanceOf(AdmissionResult.Admitted.class, game.admit(a, world, r));
        assertEquals(AdmissionResult.Admitted.How.REPLACED, replaced.how());
        assertFalse(everythingInRedis().contains(replaced.reconnectionToken()));
    }
}
