package io.tilemud.websocket;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.tilemud.admission.AdmissionRequest;
import io.tilemud.admission.AdmissionResult;
import io.tilemud.admission.AdmissionService;
import io.tilemud.character.CharacterService;
import io.tilemud.character.CreateCharacterResult;
import io.tilemud.connection.ConnectionRegistry;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import io.tilemud.realtime.RealtimeJanitor;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RT-06 (resume after a reconnect: missed deltas or a snapshot, and the rotated reconnection token), RT-09
 * (inactivity ends the session) and RT-07's one-time cache notices, through the WebSocket handlers with recorded
 * API Gateway events on the embedded servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumeAndInactivityTest {
    /** Small, so "too far behind" takes a handful of moves. */
    private static final int RESUME_MAX_EVENTS = 5;

    private final RecordingMessenger messenger = new RecordingMessenger();
    private ApplicationContext context;
    private ConnectHandler connect;
    private DisconnectHandler disconnect;
    private IntentHandler intents;
    private ConnectionRegistry registry;
    private String instance;

    private record Player(String subject, UUID characterId, String sessionId, String reconnectionToken) {
    }

    @BeforeAll
    void start() {
        Map<String, Object> properties = new HashMap<>(SharedTestInfra.get().properties());
        properties.put("tilemud.realtime.resume-max-events", RESUME_MAX_EVENTS);
        context = ApplicationContext.builder().properties(properties).singletons(messenger).start();
        connect = new ConnectHandler(context);
        disconnect = new DisconnectHandler(context);
        intents = new IntentHandler(context);
        registry = context.getBean(ConnectionRegistry.class);
    }

    /** An instance per test: what one test's players do is never in another's view. */
    @BeforeEach
    void freshInstance() {
        instance = "rs-" + UUID.randomUUID().toString().substring(0, 8);
        context.getBean(InstanceService.class).upsert(instance, 50, "dev", InstanceState.ACCEPTING);
    }

    @AfterAll
    void stop() {
        context.close();
    }

    private Player admitted(String name) {
        String subject = "rs-" + UUID.randomUUID();
        UUID userId = context.getBean(UserService.class).ensureUser(subject).id();
        var created = (CreateCharacterResult.Created) context.getBean(CharacterService.class).create(userId, name);
        context.getBean(CharacterService.class).selectActive(userId, created.character().id());
        var admitted = (AdmissionResult.Admitted) context.getBean(AdmissionService.class).admit(new AdmissionRequest(
                subject, instance, created.character().id().toString(), "dev", null, null));
        return new Player(subject, created.character().id(), admitted.sessionId(), admitted.reconnectionToken());
    }

    private APIGatewayV2WebSocketResponse connect(String connectionId, Player player, Map<String, String> query) {
        Map<String, String> withSession = new HashMap<>(query);
        withSession.put("sessionId", player.sessionId());
        return connect.handleRequest(WebSocketEvents.connect(connectionId, player.subject(), withSession),
                new LocalLambdaContext());
    }

    private String connected(Player player) {
        String connectionId = UUID.randomUUID().toString();
        assertEquals(200, connect(connectionId, player, Map.of()).getStatusCode());
        return connectionId;
    }

    private String reconnected(Player player, String token, Map<String, String> extra) {
        String connectionId = UUID.randomUUID().toString();
        Map<String, String> query = new HashMap<>(extra);
        query.put("reconnectionToken", token);
        assertEquals(200, connect(connectionId, player, query).getStatusCode());
        return connectionId;
    }

    private void dropped(String connectionId) {
        disconnect.handleRequest(WebSocketEvents.disconnect(connectionId), new LocalLambdaContext());
    }

    private JsonNode send(String connectionId, String body) {
        String type = body.replaceAll(".*\"type\":\"([^\"]+)\".*", "$1");
        intents.handleRequest(WebSocketEvents.message(connectionId, type, body), new LocalLambdaContext());
        return messenger.nextReply(connectionId);
    }

    private JsonNode move(String connectionId, long seq, int dx, int dy) {
        JsonNode ack = send(connectionId, "{\"type\":\"intent.move\",\"seq\":" + seq + ",\"dx\":" + dx + ",\"dy\":" + dy + "}");
        assertEquals("event.ack", ack.get("type").asText(), ack.toString());
        return ack;
    }

    private Optional<SessionState> state(Player player) {
        return context.getBean(SessionStore.class).find(player.sessionId()).map(s -> s.state());
    }

    private void placeAt(Player player, int x, int y) {
        try (Connection c = DelegatingDataSource.unwrapDataSource(context.getBean(DataSource.class)).getConnection();
             PreparedStatement update = c.prepareStatement("UPDATE characters SET x = ?, y = ? WHERE id = ?")) {
            update.setInt(1, x);
            update.setInt(2, y);
            update.setObject(3, player.characterId());
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The connection as if its last frame came {@code idle} ago. */
    private void idleFor(String connectionId, Duration idle) {
        registry.register(registry.find(connectionId).orElseThrow()
                .withLastActiveAt(Instant.now().minus(idle).truncatedTo(ChronoUnit.MILLIS)));
    }

    private static List<JsonNode> deltas(JsonNode resume) {
        List<JsonNode> deltas = new ArrayList<>();
        resume.get("deltas").forEach(deltas::add);
        return deltas;
    }

    // ---- reconnect before the old socket's $disconnect (issue: refused as "session cannot be resumed (ACTIVE)") ----

    @Test
    void reconnect_whileTheOldSocketIsStillRegistered_takesTheSessionOverAndTheLateDisconnectChangesNothing() {
        // GIVEN alice playing on her first socket (one acked move), whose drop API Gateway has not reported yet
        Player alice = admitted("Alice Quick");
        String first = connected(alice);
        move(first, 1, 1, 0);
        // WHEN she reconnects at once with her reconnection token
        String second = reconnected(alice, alice.reconnectionToken(), Map.of("lastSeq", "1"));
        // THEN the old socket is told and closed, and unregistered
        assertEquals("event.session_replaced", messenger.next(first).get("type").asText());
        assertTrue(messenger.disconnected.contains(first));
        assertTrue(registry.find(first).isEmpty());
        assertEquals(Optional.of(SessionState.ACTIVE), state(alice));
        // AND the late $disconnect of the old socket leaves the session active on the new one
        dropped(first);
        assertEquals(Optional.of(SessionState.ACTIVE), state(alice));
        JsonNode resume = send(second, "{\"type\":\"resume\"}");
        assertEquals(second, resume.get("connectionId").asText());
        assertNotEquals(alice.reconnectionToken(), resume.get("reconnectionToken").asText(), "the token rotated");
        move(second, 2, 1, 0);
        // AND the spent token cannot take it again
        APIGatewayV2WebSocketResponse replay = connect(UUID.randomUUID().toString(), alice,
                Map.of("reconnectionToken", alice.reconnectionToken()));
        assertEquals(403, replay.getStatusCode(), replay.getBody());
        assertEquals(Optional.of(SessionState.ACTIVE), state(alice));
    }

    @Test
    void enterGrace_forASocketTheSessionHasLeft_refusedAndNothingChanges() {
        // GIVEN a session taken over by a second socket
        Player bob = admitted("Bob Quick");
        String first = connected(bob);
        String second = reconnected(bob, bob.reconnectionToken(), Map.of());
        // WHEN the first socket's close is processed in the window before it was unregistered (the race the
        // script closes: it knows which socket carries the session)
        var late = context.getBean(SessionStore.class).enterGrace(bob.sessionId(), first);
        // THEN
        assertEquals(new io.tilemud.session.SessionTransition.Refused(SessionState.ACTIVE), late);
        assertEquals(Optional.of(SessionState.ACTIVE), state(bob));
        // AND the socket that carries it still moves it to grace when it drops
        dropped(second);
        assertEquals(Optional.of(SessionState.GRACE), state(bob));
    }

    @Test
    void reconnect_withoutAValidToken_whileActive_refusedAndTheOldSocketKeepsPlaying() {
        Player carol = admitted("Carol Quick");
        String first = connected(carol);

        APIGatewayV2WebSocketResponse wrong = connect(UUID.randomUUID().toString(), carol,
                Map.of("reconnectionToken", "not-the-token"));

        assertEquals(403, wrong.getStatusCode(), wrong.getBody());
        assertTrue(registry.find(first).isPresent());
        assertFalse(messenger.disconnected.contains(first));
        move(first, 1, 0, 1);
    }

    // ---- RT-06 ----

    @Test
    void resume_afterReconnectInGrace_missedOwnAndOthersDeltasInOrderAndARotatedToken() {
        // GIVEN alice acked moves 1 and 2 but only saw ack 1 before her socket dropped
        Player alice = admitted("Alice Resume");
        Player bob = admitted("Bob Stays");
        String aliceFirst = connected(alice);
        String bobConnection = connected(bob);
        move(aliceFirst, 1, 1, 0);
        move(aliceFirst, 2, 1, 0);
        dropped(aliceFirst);
        // AND while she was away bob moved and spoke
        move(bobConnection, 1, 0, 1);
        assertEquals("event.ack", send(bobConnection, "{\"type\":\"intent.chat\",\"seq\":2,\"text\":\"where did she go\"}").get("type").asText());
        // WHEN she reconnects with her token and resumes from seq 1
        String aliceBack = reconnected(alice, alice.reconnectionToken(), Map.of());
        JsonNode resume = send(aliceBack, "{\"type\":\"resume\",\"lastSeq\":1}");
        // THEN everything up to seq 2 is acked, and she gets her own last position, bob's move and bob's line, in order
        assertEquals("event.resume", resume.get("type").asText(), resume.toString());
        assertEquals(aliceBack, resume.get("connectionId").asText(), "the frame names the socket it went to");
        assertEquals(2, resume.get("lastSeq").asLong());
        List<JsonNode> deltas = deltas(resume);
        assertEquals(3, deltas.size(), resume.toString());
        assertEquals("event.state_delta", deltas.get(0).get("type").asText());
        assertEquals(alice.characterId().toString(), deltas.get(0).get("characterId").asText());
        assertEquals(2, deltas.get(0).get("x").asInt());
        assertEquals(bob.characterId().toString(), deltas.get(1).get("characterId").asText());
        assertEquals(1, deltas.get(1).get("y").asInt());
        assertEquals("event.chat", deltas.get(2).get("type").asText());
        assertEquals("where did she go", deltas.get(2).get("text").asText());
        // AND the token was rotated: the spent one is refused, the new one reconnects
        String rotated = resume.get("reconnectionToken").asText();
        assertNotEquals(alice.reconnectionToken(), rotated);
        dropped(aliceBack);
        assertEquals(403, connect(UUID.randomUUID().toString(), alice,
                Map.of("reconnectionToken", alice.reconnectionToken())).getStatusCode());
        assertEquals(SessionState.GRACE, state(alice).orElseThrow());
        reconnected(alice, rotated, Map.of());
        assertEquals(SessionState.ACTIVE, state(alice).orElseThrow());
    }

    @Test
    void resume_lastSeqGivenAtConnect_usedWhenTheFrameOmitsIt() {
        Player alice = admitted("Alice Query");
        String first = connected(alice);
        move(first, 1, 0, 1);
        dropped(first);

        String back = reconnected(alice, alice.reconnectionToken(), Map.of("lastSeq", "1"));
        JsonNode resume = send(back, "{\"type\":\"resume\"}");

        assertEquals("event.resume", resume.get("type").asText(), resume.toString());
        assertEquals(1, resume.get("lastSeq").asLong());
        assertTrue(deltas(resume).isEmpty(), resume.toString());
    }

    @Test
    void resume_othersOutOfView_notSent() {
        Player alice = admitted("Alice Far");
        Player carol = admitted("Carol Far");
        placeAt(carol, 40, 40);
        String aliceFirst = connected(alice);
        String carolConnection = connected(carol);
        dropped(aliceFirst);
        move(carolConnection, 1, 1, 0);

        JsonNode resume = send(reconnected(alice, alice.reconnectionToken(), Map.of()), "{\"type\":\"resume\",\"lastSeq\":0}");

        assertEquals("event.resume", resume.get("type").asText(), resume.toString());
        assertTrue(deltas(resume).isEmpty(), resume.toString());
    }

    @Test
    void resume_freshConnection_snapshotOfWhoIsInView() {
        // GIVEN bob next to alice and carol far away, all connected
        Player alice = admitted("Alice Fresh");
        Player bob = admitted("Bob Near");
        Player carol = admitted("Carol Away");
        placeAt(alice, 20, 20);
        placeAt(bob, 22, 19);
        placeAt(carol, 40, 40);
        connected(bob);
        connected(carol);
        String c = connected(alice);
        // WHEN
        JsonNode snapshot = send(c, "{\"type\":\"resume\",\"lastSeq\":0}");
        // THEN
        assertEquals("event.snapshot", snapshot.get("type").asText(), snapshot.toString());
        assertEquals(c, snapshot.get("connectionId").asText(), "the frame names the socket it went to");
        assertEquals("NEW_CONNECTION", snapshot.get("reason").asText());
        assertEquals(0, snapshot.get("lastSeq").asLong());
        assertEquals(alice.characterId().toString(), snapshot.get("you").get("characterId").asText());
        assertEquals(20, snapshot.get("you").get("x").asInt());
        List<String> players = new ArrayList<>();
        snapshot.get("players").forEach(p -> players.add(p.get("characterId").asText()));
        assertTrue(players.contains(bob.characterId().toString()), snapshot.toString());
        assertFalse(players.contains(carol.characterId().toString()), snapshot.toString());
        // the token for the next drop: freshly rotated (the server keeps only digests), so not the admission one
        String token = snapshot.get("reconnectionToken").asText();
        assertFalse(token.isEmpty(), snapshot.toString());
        assertNotEquals(alice.reconnectionToken(), token);
    }

    @Test
    void resume_tooFarBehind_snapshotWithTheServersLastSeq() {
        Player alice = admitted("Alice Behind");
        String first = connected(alice);
        for (int seq = 1; seq <= RESUME_MAX_EVENTS + 2; seq++) {
            move(first, seq, seq % 2 == 1 ? 1 : -1, 0);
        }
        dropped(first);

        JsonNode snapshot = send(reconnected(alice, alice.reconnectionToken(), Map.of()), "{\"type\":\"resume\",\"lastSeq\":0}");

        assertEquals("event.snapshot", snapshot.get("type").asText(), snapshot.toString());
        assertEquals("TOO_FAR_BEHIND", snapshot.get("reason").asText());
        assertEquals(RESUME_MAX_EVENTS + 2, snapshot.get("lastSeq").asLong());
        assertEquals(1, snapshot.get("you").get("x").asInt());
    }

    @Test
    void resume_clientAheadOrSilentAboutItsSeq_snapshot() {
        Player alice = admitted("Alice Ahead");
        String first = connected(alice);
        move(first, 1, 1, 0);
        dropped(first);
        String back = reconnected(alice, alice.reconnectionToken(), Map.of());

        assertEquals("AHEAD_OF_SERVER", send(back, "{\"type\":\"resume\",\"lastSeq\":9}").get("reason").asText());
        assertEquals("NO_LAST_SEQ", send(back, "{\"type\":\"resume\"}").get("reason").asText());
    }

    @Test
    void resume_badLastSeq_validationFailedAndNothingChanged() {
        Player alice = admitted("Alice Bad Seq");
        String first = connected(alice);
        move(first, 1, 1, 0);

        for (String bad : List.of("-1", "1.5", "\"1\"", "99999999999999999999999")) {
            JsonNode error = send(first, "{\"type\":\"resume\",\"lastSeq\":" + bad + "}");
            assertEquals("event.error", error.get("type").asText(), bad);
            assertEquals("VALIDATION_FAILED", error.get("code").asText(), bad);
        }
        dropped(first);
        for (String bad : List.of("-1", "one", "1.5")) {
            String connectionId = UUID.randomUUID().toString();
            APIGatewayV2WebSocketResponse refused = connect(connectionId, alice,
                    Map.of("reconnectionToken", alice.reconnectionToken(), "lastSeq", bad));
            assertEquals(400, refused.getStatusCode(), bad);
            assertTrue(refused.getBody().contains("\"code\":\"VALIDATION_FAILED\""), refused.getBody());
            assertTrue(registry.find(connectionId).isEmpty());
        }
        // the token was not spent by the refused handshakes
        assertEquals(SessionState.GRACE, state(alice).orElseThrow());
        reconnected(alice, alice.reconnectionToken(), Map.of());
    }

    // ---- RT-09 ----

    @Test
    void disconnect_afterTheInactivityPeriod_sessionEndedNotGrace() {
        // GIVEN alice whose socket was idle for 10 minutes when API Gateway closed it
        Player alice = admitted("Alice Idle");
        String c = connected(alice);
        idleFor(c, Duration.ofMinutes(10));
        // WHEN
        dropped(c);
        // THEN the session is over: no grace, the token cannot bring it back, a fresh admission can
        assertTrue(state(alice).isEmpty());
        assertEquals(403, connect(UUID.randomUUID().toString(), alice,
                Map.of("reconnectionToken", alice.reconnectionToken())).getStatusCode());
        var again = context.getBean(AdmissionService.class).admit(new AdmissionRequest(alice.subject(), instance,
                alice.characterId().toString(), "dev", null, null));
        assertTrue(again instanceof AdmissionResult.Admitted, again.toString());
        assertNotEquals(alice.sessionId(), ((AdmissionResult.Admitted) again).sessionId());
    }

    @Test
    void disconnect_activeRecently_grace() {
        Player alice = admitted("Alice Busy");
        String c = connected(alice);
        idleFor(c, Duration.ofMinutes(9));

        dropped(c);

        assertEquals(SessionState.GRACE, state(alice).orElseThrow());
    }

    @Test
    void janitor_connectionIdleTooLong_toldEndedAndReleased() {
        // GIVEN an idle connection whose $disconnect never came, and a busy one
        Player alice = admitted("Alice Forgotten");
        Player bob = admitted("Bob Busy");
        String idle = connected(alice);
        String busy = connected(bob);
        idleFor(idle, Duration.ofMinutes(11));
        // WHEN
        context.getBean(RealtimeJanitor.class).sweepAll();
        // THEN
        JsonNode ended = messenger.next(idle);
        assertEquals("event.session_ended", ended.get("type").asText());
        assertEquals("INACTIVE", ended.get("reason").asText());
        assertTrue(messenger.disconnected.contains(idle));
        assertTrue(registry.find(idle).isEmpty());
        assertTrue(state(alice).isEmpty());
        assertFalse(messenger.disconnected.contains(busy));
        assertEquals(SessionState.ACTIVE, state(bob).orElseThrow());
    }

    @Test
    void janitor_recordedActivityPastTheLimitButWithinATouchInterval_leftOpen_neverClosedEarly() {
        // GIVEN activity recorded 10 min 10 s ago: with one write per 30 s touch interval, its last frame may have
        // come as late as 9 min 40 s ago, under the 10 min limit; and one recorded 10 min 31 s ago, certainly over
        Player alice = admitted("Alice Maybe Idle");
        Player bob = admitted("Bob Surely Idle");
        String maybe = connected(alice);
        String surely = connected(bob);
        idleFor(maybe, Duration.ofMinutes(10).plusSeconds(10));
        idleFor(surely, Duration.ofMinutes(10).plusSeconds(31));
        // WHEN
        context.getBean(RealtimeJanitor.class).sweepAll();
        // THEN only the certainly idle one is ended; the other keeps its socket, session and registry entry
        assertEquals("INACTIVE", messenger.next(surely).get("reason").asText());
        assertTrue(state(bob).isEmpty());
        assertFalse(messenger.disconnected.contains(maybe));
        assertTrue(registry.find(maybe).isPresent());
        assertEquals(SessionState.ACTIVE, state(alice).orElseThrow());
    }

    @Test
    void anyFrame_afterTheTouchInterval_recordsActivity_butNotMoreOftenThanThat() {
        Player alice = admitted("Alice Pings");
        String c = connected(alice);
        idleFor(c, Duration.ofSeconds(5));
        Instant recent = registry.find(c).orElseThrow().lastActiveAt();

        assertEquals("pong", send(c, "{\"type\":\"ping\"}").get("type").asText());
        assertEquals(recent, registry.find(c).orElseThrow().lastActiveAt(), "no write within the touch interval");

        idleFor(c, Duration.ofMinutes(5));
        Instant before = Instant.now().minusSeconds(1);
        assertEquals("pong", send(c, "{\"type\":\"ping\"}").get("type").asText());
        assertTrue(registry.find(c).orElseThrow().lastActiveAt().isAfter(before));
    }

    // ---- RT-07 all-clear ----

    @Test
    void intent_afterTheCacheIsBack_clientToldOnceThatItIs() {
        // GIVEN a client that was told the cache was down
        Player alice = admitted("Alice Told");
        String c = connected(alice);
        registry.markDegraded(c, Instant.now().minusSeconds(30));
        // WHEN it plays with the cache up
        JsonNode first = send(c, "{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}");
        // THEN it hears the all-clear once, then only acks
        assertEquals("event.degraded", first.get("type").asText(), first.toString());
        assertEquals("UP", first.get("cache").asText());
        assertEquals("event.ack", messenger.nextReply(c).get("type").asText());
        assertNull(registry.find(c).orElseThrow().degradedSince());
        assertEquals("event.ack", send(c, "{\"type\":\"intent.move\",\"seq\":2,\"dx\":-1,\"dy\":0}").get("type").asText());
    }
}
