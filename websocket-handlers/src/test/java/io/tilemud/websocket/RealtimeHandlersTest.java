package io.tilemud.websocket;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.tilemud.admission.AdmissionRequest;
import io.tilemud.admission.AdmissionResult;
import io.tilemud.admission.AdmissionService;
import io.tilemud.character.CharacterRepository;
import io.tilemud.character.CharacterService;
import io.tilemud.character.CreateCharacterResult;
import io.tilemud.connection.ConnectionRegistry;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import io.tilemud.session.SessionState;
import io.tilemud.session.SessionStore;
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

import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WebSocket Lambda handlers with recorded API Gateway events, on the embedded Redis, PostgreSQL and DynamoDB
 * Local (RT-01, RT-03, RT-04, RT-08, RT-12, RT-13, ADM-18/19).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealtimeHandlersTest {
    private final RecordingMessenger messenger = new RecordingMessenger();
    private ApplicationContext context;
    private ConnectHandler connect;
    private DisconnectHandler disconnect;
    private IntentHandler intents;
    private String instance;

    private record Player(String subject, UUID characterId, String sessionId, String reconnectionToken) {
    }

    @BeforeAll
    void start() {
        context = ApplicationContext.builder().properties(SharedTestInfra.get().properties()).singletons(messenger).start();
        connect = new ConnectHandler(context);
        disconnect = new DisconnectHandler(context);
        intents = new IntentHandler(context);
        instance = "ws-" + UUID.randomUUID().toString().substring(0, 8);
        context.getBean(InstanceService.class).upsert(instance, 50, "dev", InstanceState.ACCEPTING);
    }

    @AfterAll
    void stop() {
        context.close();
    }

    private Player admitted(String name) {
        return admitted(name, instance);
    }

    private Player admitted(String name, String instanceId) {
        String subject = "ws-" + UUID.randomUUID();
        UUID userId = context.getBean(UserService.class).ensureUser(subject).id();
        var created = (CreateCharacterResult.Created) context.getBean(CharacterService.class).create(userId, name);
        context.getBean(CharacterService.class).selectActive(userId, created.character().id());
        var result = context.getBean(AdmissionService.class).admit(new AdmissionRequest(subject, instanceId,
                created.character().id().toString(), "dev", null, null));
        var admitted = (AdmissionResult.Admitted) result;
        return new Player(subject, created.character().id(), admitted.sessionId(), admitted.reconnectionToken());
    }

    private APIGatewayV2WebSocketResponse connect(String connectionId, String subject, Map<String, String> query) {
        return connect.handleRequest(WebSocketEvents.connect(connectionId, subject, query), new LocalLambdaContext());
    }

    private String connected(Player player) {
        String connectionId = UUID.randomUUID().toString();
        assertEquals(200, connect(connectionId, player.subject(), Map.of("sessionId", player.sessionId())).getStatusCode());
        return connectionId;
    }

    private JsonNode send(String connectionId, String routeKey, String body) {
        intents.handleRequest(WebSocketEvents.message(connectionId, routeKey, body), new LocalLambdaContext());
        return messenger.next(connectionId);
    }

    private SessionState state(Player player) {
        return context.getBean(SessionStore.class).find(player.sessionId()).orElseThrow().state();
    }

    @Test
    void connect_ownPendingSession_activatedAndRegistered() {
        Player alice = admitted("Alice Ws");

        String connectionId = connected(alice);

        assertEquals(SessionState.ACTIVE, state(alice));
        assertEquals(alice.sessionId(), context.getBean(ConnectionRegistry.class).find(connectionId).orElseThrow().sessionId());
    }

    @Test
    void connect_anotherUsersSession_403AndNothingChanged() {
        Player alice = admitted("Alice Own");
        Player mallory = admitted("Mallory");
        String connectionId = UUID.randomUUID().toString();

        APIGatewayV2WebSocketResponse response = connect(connectionId, mallory.subject(), Map.of("sessionId", alice.sessionId()));

        assertEquals(403, response.getStatusCode());
        assertTrue(response.getBody().contains("\"code\":\"NOT_FOUND\""), response.getBody());
        assertEquals(SessionState.PENDING, state(alice));
        assertTrue(context.getBean(ConnectionRegistry.class).find(connectionId).isEmpty());
    }

    @Test
    void connect_unknownOrMissingSession_refused() {
        Player alice = admitted("Alice Unknown");
        assertEquals(403, connect(UUID.randomUUID().toString(), alice.subject(), Map.of("sessionId", "nope")).getStatusCode());
        assertEquals(403, connect(UUID.randomUUID().toString(), alice.subject(), Map.of()).getStatusCode());
    }

    @Test
    void move_valid_ackedAfterCommitAndOthersInViewSeeIt() {
        Player alice = admitted("Alice Mover");
        Player bob = admitted("Bob Watcher");
        String aliceConnection = connected(alice);
        String bobConnection = connected(bob);

        JsonNode ack = send(aliceConnection, "intent.move", "{\"type\":\"intent.move\",\"seq\":1,\"dx\":0,\"dy\":1}");

        assertEquals("event.ack", ack.get("type").asText());
        assertEquals(1, ack.get("seq").asLong());
        var stored = context.getBean(CharacterRepository.class).findById(alice.characterId()).orElseThrow();
        assertEquals(0, stored.x());
        assertEquals(1, stored.y());
        JsonNode delta = messenger.next(bobConnection);
        assertEquals("event.state_delta", delta.get("type").asText());
        assertEquals(alice.characterId().toString(), delta.get("characterId").asText());
    }

    @Test
    void move_onePlayersPostsFailing_othersStillGetTheirDeltaAndThatPlayerStaysConnected() {
        // GIVEN three players in view, and posts to bob timing out
        Player alice = admitted("Alice Fanout");
        Player bob = admitted("Bob Slow");
        Player carol = admitted("Carol Fine");
        String aliceConnection = connected(alice);
        String bobConnection = connected(bob);
        String carolConnection = connected(carol);
        messenger.failing.add(bobConnection);
        try {
            // WHEN alice moves
            JsonNode ack = send(aliceConnection, "intent.move", "{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":1}");
            // THEN her ack and carol's delta arrive, and bob (maybe just slow) is not forgotten
            assertEquals("event.ack", ack.get("type").asText());
            JsonNode delta = messenger.next(carolConnection);
            while (!delta.get("characterId").asText().equals(alice.characterId().toString())) {
                delta = messenger.next(carolConnection);
            }
            assertEquals(1, delta.get("x").asInt());
            assertTrue(context.getBean(ConnectionRegistry.class).find(bobConnection).isPresent());
        } finally {
            messenger.failing.remove(bobConnection);
        }
    }

    @Test
    void move_sameSeqTwice_twoAcksOneApplication() {
        Player alice = admitted("Alice Twice");
        String connectionId = connected(alice);

        assertEquals(1, send(connectionId, "intent.move", "{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}").get("seq").asLong());
        assertEquals(1, send(connectionId, "intent.move", "{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}").get("seq").asLong());

        assertEquals(1, context.getBean(CharacterRepository.class).findById(alice.characterId()).orElseThrow().x());
    }

    @Test
    void frames_breakingTheRules_structuredErrorsAndNoAck() {
        Player alice = admitted("Alice Rules");
        String c = connected(alice);

        assertError(send(c, "intent.move", "{\"type\":\"intent.move\",\"seq\":1,\"dx\":2,\"dy\":0}"), "INVALID_MOVE", false);
        assertError(send(c, "intent.move", "{\"type\":\"intent.move\",\"seq\":3,\"dx\":1,\"dy\":0}"), "SEQ_OUT_OF_ORDER", false);
        assertError(send(c, "intent.chat", "{\"type\":\"intent.chat\",\"seq\":1,\"text\":\"" + "a".repeat(257) + "\"}"), "VALIDATION_FAILED", false);
        assertError(send(c, "intent.chat", "{\"type\":\"intent.chat\",\"seq\":1,\"text\":\"" + "a".repeat(5000) + "\"}"), "PAYLOAD_TOO_LARGE", false);
        assertError(send(c, "$default", "{\"type\":\"intent.fly\"}"), "BAD_REQUEST", false);
        assertError(send(c, "$default", "not json"), "BAD_REQUEST", false);
        assertError(send(c, "intent.move", "{\"type\":\"intent.move\",\"dx\":1,\"dy\":0}"), "VALIDATION_FAILED", false);

        var stored = context.getBean(CharacterRepository.class).findById(alice.characterId()).orElseThrow();
        assertEquals(0, stored.x());
        assertEquals(0, stored.y());
        // seq 1 was never consumed
        assertEquals("event.ack", send(c, "intent.chat", "{\"type\":\"intent.chat\",\"seq\":1,\"text\":\"hi\"}").get("type").asText());
    }

    @Test
    void intent_onConnectionNotBoundToASession_notAuthenticated() {
        assertError(send("never-connected", "intent.move", "{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}"),
                "NOT_AUTHENTICATED", false);
    }

    @Test
    void disconnect_unexpected_graceThenReconnectWithTokenRestoresIt() {
        Player alice = admitted("Alice Drop");
        String first = connected(alice);
        send(first, "intent.move", "{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}");

        disconnect.handleRequest(WebSocketEvents.disconnect(first), new LocalLambdaContext());

        assertEquals(SessionState.GRACE, state(alice));
        assertTrue(context.getBean(ConnectionRegistry.class).find(first).isEmpty());
        // a wrong token changes nothing
        assertEquals(403, connect(UUID.randomUUID().toString(), alice.subject(),
                Map.of("sessionId", alice.sessionId(), "reconnectionToken", "wrong")).getStatusCode());
        assertEquals(SessionState.GRACE, state(alice));
        // the real one restores the session, and the sequence continues from the last ack
        String second = UUID.randomUUID().toString();
        assertEquals(200, connect(second, alice.subject(),
                Map.of("sessionId", alice.sessionId(), "reconnectionToken", alice.reconnectionToken())).getStatusCode());
        assertEquals(SessionState.ACTIVE, state(alice));
        assertEquals(2, send(second, "intent.move", "{\"type\":\"intent.move\",\"seq\":2,\"dx\":1,\"dy\":0}").get("seq").asLong());
        // and the token was single-use
        disconnect.handleRequest(WebSocketEvents.disconnect(second), new LocalLambdaContext());
        assertEquals(403, connect(UUID.randomUUID().toString(), alice.subject(),
                Map.of("sessionId", alice.sessionId(), "reconnectionToken", alice.reconnectionToken())).getStatusCode());
    }

    @Test
    void leave_releasesTheSlotAndClosesTheSocket() {
        Player alice = admitted("Alice Leaves");
        String c = connected(alice);

        intents.handleRequest(WebSocketEvents.message(c, "intent.leave", "{\"type\":\"intent.leave\"}"), new LocalLambdaContext());

        assertTrue(context.getBean(SessionStore.class).find(alice.sessionId()).isEmpty());
        assertTrue(messenger.disconnected.contains(c));
        assertTrue(context.getBean(ConnectionRegistry.class).find(c).isEmpty());
    }

    private static void assertError(JsonNode frame, String code, boolean transientFailure) {
        assertEquals("event.error", frame.get("type").asText(), frame.toString());
        assertEquals(code, frame.get("code").asText(), frame.toString());
        assertEquals(transientFailure, frame.get("transient").asBoolean());
        assertFalse(frame.get("message").asText().isBlank());
    }

    @Test
    void replacement_acceptedOnTheSameInstance_oldSocketToldAndClosedBeforeTheNewOneConnects() {
        // GIVEN alice playing over a connected socket
        Player alice = admitted("Alice Tab");
        String oldConnection = connected(alice);
        var admission = context.getBean(AdmissionService.class);
        // WHEN a second tab asks, is offered a replace token, and re-sends with it
        var offer = (AdmissionResult.Rejected) admission.admit(new AdmissionRequest(alice.subject(), instance,
                alice.characterId().toString(), "dev", null, null));
        var replaced = (AdmissionResult.Admitted) admission.admit(new AdmissionRequest(alice.subject(), instance,
                alice.characterId().toString(), "dev", null, offer.replaceToken()));
        // THEN the old socket got event.session_replaced and was closed, and the new session can connect
        assertEquals("event.session_replaced", messenger.next(oldConnection).get("type").asText());
        assertTrue(messenger.disconnected.contains(oldConnection));
        assertTrue(context.getBean(ConnectionRegistry.class).find(oldConnection).isEmpty());
        assertEquals(200, connect(UUID.randomUUID().toString(), alice.subject(),
                Map.of("sessionId", replaced.sessionId())).getStatusCode());
    }

    @Test
    void buildChange_clientsOfTheOldBuild_toldVersionMismatchReleasedAndDisconnected() {
        // GIVEN alice playing on an instance that runs build "dev"
        String own = "ws-v-" + UUID.randomUUID().toString().substring(0, 8);
        context.getBean(InstanceService.class).upsert(own, 10, "dev", InstanceState.ACCEPTING);
        Player alice = admitted("Alice Old Build", own);
        String c = connected(alice);
        // WHEN operators move the instance to a new build and the janitor runs
        var upgraded = context.getBean(InstanceService.class).upsert(own, 10, "2.0.0", InstanceState.ACCEPTING);
        int closed = context.getBean(io.tilemud.realtime.RealtimeJanitor.class).sweepAll();
        // THEN
        assertTrue(closed >= 1);
        JsonNode frame = messenger.next(c);
        assertEquals("event.version_mismatch", frame.get("type").asText());
        assertEquals(upgraded.build(), frame.get("requiredBuild").asText());
        assertTrue(messenger.disconnected.contains(c));
        assertTrue(context.getBean(SessionStore.class).find(alice.sessionId()).isEmpty());
        assertTrue(context.getBean(ConnectionRegistry.class).find(c).isEmpty());
    }

    @Test
    void janitor_clientsOnTheCurrentBuild_leftAlone() {
        Player alice = admitted("Alice Current");
        String c = connected(alice);

        context.getBean(io.tilemud.realtime.RealtimeJanitor.class).sweepAll();

        assertEquals(SessionState.ACTIVE, state(alice));
        assertFalse(messenger.disconnected.contains(c));
    }

    @Test
    void chat_overFivePerSecond_rateLimitedTransientAndNotStored() {
        Player alice = admitted("Alice Chatty");
        String c = connected(alice);
        // WHEN chat lines arrive back to back until one is refused
        int acked = 0;
        JsonNode refused = null;
        long started = System.nanoTime();
        for (int seq = 1; seq <= 40 && refused == null; seq++) {
            JsonNode frame = send(c, "intent.chat", "{\"type\":\"intent.chat\",\"seq\":" + seq + ",\"text\":\"hi\"}");
            if (frame.get("type").asText().equals("event.ack")) {
                acked++;
            } else {
                refused = frame;
            }
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        // THEN the bucket (5, refilling one every 200 ms) ran dry: a retryable refusal whose seq was not consumed
        assertNotNull(refused, "40 chat lines were all accepted");
        assertError(refused, "RATE_LIMITED", true);
        assertTrue(acked >= 5, "acked " + acked);
        assertTrue(acked <= 5 + elapsedMillis / 200 + 1, "acked " + acked + " in " + elapsedMillis + " ms");
        assertEquals(acked + 1, refused.get("seq").asLong());
        assertEquals(acked, context.getBean(io.tilemud.realtime.ActionLog.class).lastSeq(alice.sessionId()));
    }
}
