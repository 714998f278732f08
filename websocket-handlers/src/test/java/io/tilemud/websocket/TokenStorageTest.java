package io.tilemud.websocket;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.context.ApplicationContext;
import io.tilemud.admission.AdmissionRequest;
import io.tilemud.admission.AdmissionResult;
import io.tilemud.admission.AdmissionService;
import io.tilemud.admission.TokenGenerator;
import io.tilemud.cache.CacheConnection;
import io.tilemud.character.CharacterService;
import io.tilemud.character.CreateCharacterResult;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.error.ErrorCode;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import io.tilemud.user.UserService;
import io.tilemud.websocket.connect.ConnectHandler;
import io.tilemud.websocket.connect.DisconnectHandler;
import io.tilemud.websocket.realtime.IntentHandler;
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
    private ConnectHandler connect;
    private DisconnectHandler disconnect;
    private IntentHandler intents;

    private record Player(String subject, UUID characterId) {
    }

    @BeforeAll
    void start() {
        context = ApplicationContext.builder().properties(new HashMap<>(SharedTestInfra.get().properties()))
                .singletons(messenger).start();
        connect = new ConnectHandler(context);
        disconnect = new DisconnectHandler(context);
        intents = new IntentHandler(context);
    }

    @AfterAll
    void stop() {
        context.close();
    }

    private String instance() {
        String id = "tk-" + UUID.randomUUID().toString().substring(0, 8);
        context.getBean(InstanceService.class).upsert(id, 5, "dev", InstanceState.ACCEPTING);
        return id;
    }

    private Player player() {
        String subject = "tk-" + UUID.randomUUID();
        UUID userId = context.getBean(UserService.class).ensureUser(subject).id();
        var created = (CreateCharacterResult.Created) context.getBean(CharacterService.class).create(userId,
                "Tok " + UUID.randomUUID().toString().substring(0, 6));
        context.getBean(CharacterService.class).selectActive(userId, created.character().id());
        return new Player(subject, created.character().id());
    }

    private AdmissionResult admit(Player p, String instanceId, String replaceToken) {
        return context.getBean(AdmissionService.class).admit(new AdmissionRequest(p.subject(), instanceId,
                p.characterId().toString(), "dev", null, replaceToken));
    }

    private int connect(Player p, String connectionId, Map<String, String> query) {
        APIGatewayV2WebSocketResponse response = connect.handleRequest(
                WebSocketEvents.connect(connectionId, p.subject(), query), new LocalLambdaContext());
        return response.getStatusCode();
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
        String world = instance();
        Player a = player();
        // GIVEN A admitted (token T0), connected, and resumed on its socket (token T1 in the snapshot)
        var admitted = assertInstanceOf(AdmissionResult.Admitted.class, admit(a, world, null));
        String t0 = admitted.reconnectionToken();
        String conn1 = UUID.randomUUID().toString();
        assertEquals(200, connect(a, conn1, Map.of("sessionId", admitted.sessionId())));
        String t1 = resume(conn1).path("reconnectionToken").asText();
        assertFalse(t1.isEmpty());
        assertNotEquals(t0, t1);
        // AND a second tab offered a replace token R
        var offered = assertInstanceOf(AdmissionResult.Rejected.class, admit(a, world, null));
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
        assertEquals(403, connect(a, UUID.randomUUID().toString(),
                Map.of("sessionId", admitted.sessionId(), "reconnectionToken", t0)));
        // AND a digest presented as if it were the token is refused too (the stored form is not a credential)
        assertEquals(403, connect(a, UUID.randomUUID().toString(),
                Map.of("sessionId", admitted.sessionId(), "reconnectionToken", tokens.digest(t1))));
        String conn2 = UUID.randomUUID().toString();
        assertEquals(200, connect(a, conn2, Map.of("sessionId", admitted.sessionId(), "reconnectionToken", t1)));
        // AND T1 is single-use: spent by that reconnect
        String t2 = resume(conn2).path("reconnectionToken").asText();
        assertFalse(t2.isEmpty());
        assertFalse(everythingInRedis().contains(t2), "the rotated token is not stored in clear either");
        // AND the replace token (clear) still replaces the session: the digest comparison works end to end
        var replaced = assertInstanceOf(AdmissionResult.Admitted.class, admit(a, world, r));
        assertEquals(AdmissionResult.Admitted.How.REPLACED, replaced.how());
        assertFalse(everythingInRedis().contains(replaced.reconnectionToken()));
    }
}
