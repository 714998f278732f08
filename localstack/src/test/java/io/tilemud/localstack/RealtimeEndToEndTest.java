package io.tilemud.localstack;

import io.tilemud.localstack.Players.Player;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A player's whole path through the local stack with standard clients: token → character → admission → WebSocket →
 * move → ack, and the delta seen by a second player; replay, ordering and isolation on the way.
 */
class RealtimeEndToEndTest {
    private final LocalStack stack = RunningLocalStack.get();
    private final int http = stack.httpPort();

    private Player admittedPlayer(String name) {
        return Players.admitted(http, name);
    }

    /** Frames of one player's socket, parsed. */
    private record Socket(TextWebSocket ws) {
        JsonNode next(String type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            java.util.List<String> skipped = new java.util.ArrayList<>();
            while (System.nanoTime() < deadline) {
                String frame = ws.messages.poll(100, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    JsonNode node = Http.json(frame);
                    if (type.equals(node.path("type").asText())) {
                        return node;
                    }
                    skipped.add(frame);
                }
            }
            throw new AssertionError("no " + type + " frame; other frames seen: " + skipped);
        }

        void send(String frame) {
            ws.send(frame);
        }
    }

    private Socket connect(String token, String query) throws Exception {
        return new Socket(TextWebSocket.open(URI.create("ws://127.0.0.1:" + stack.wsPort() + "/local?" + query + "&token=" + token)));
    }

    @Test
    void moveThroughTheStack_ackedAndSeenByAPlayerInView_replayAndOrderingHold() throws Exception {
        // GIVEN two admitted players connected over WebSocket
        Player alice = admittedPlayer("Alice E2E");
        Player bob = admittedPlayer("Bob E2E");
        Socket aliceWs = connect(alice.token(), "sessionId=" + alice.sessionId());
        Socket bobWs = connect(bob.token(), "sessionId=" + bob.sessionId());

        // WHEN alice moves one tile east
        aliceWs.send("{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}");

        // THEN she gets the ack and bob sees her new position
        assertEquals(1, aliceWs.next("event.ack").get("seq").asLong());
        JsonNode delta = bobWs.next("event.state_delta");
        assertEquals(alice.characterId(), delta.get("characterId").asText());
        assertEquals(1, delta.get("x").asInt());
        assertEquals(0, delta.get("y").asInt());

        // AND a resent seq is acknowledged again without moving twice
        aliceWs.send("{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}");
        assertEquals(1, aliceWs.next("event.ack").get("seq").asLong());
        aliceWs.send("{\"type\":\"intent.move\",\"seq\":2,\"dx\":1,\"dy\":0}");
        assertEquals(2, aliceWs.next("event.ack").get("seq").asLong());
        assertEquals(2, bobWs.next("event.state_delta").get("x").asInt());

        // AND a gap is refused
        aliceWs.send("{\"type\":\"intent.move\",\"seq\":9,\"dx\":1,\"dy\":0}");
        JsonNode error = aliceWs.next("event.error");
        assertEquals("SEQ_OUT_OF_ORDER", error.get("code").asText());
        assertEquals(9, error.get("seq").asLong());

        // AND ping answers
        aliceWs.send("{\"type\":\"ping\"}");
        assertNotNull(aliceWs.next("pong"));
        aliceWs.ws().close();
        bobWs.ws().close();
    }

    @Test
    void dropThenReconnectWithTheToken_resumeBringsWhatWasMissedAndPlayGoesOn() throws Exception {
        // GIVEN alice (one acked move) and bob, both connected
        Player alice = admittedPlayer("Alice Drop E2E");
        Player bob = admittedPlayer("Bob Drop E2E");
        Socket aliceWs = connect(alice.token(), "sessionId=" + alice.sessionId());
        Socket bobWs = connect(bob.token(), "sessionId=" + bob.sessionId());
        aliceWs.send("{\"type\":\"intent.move\",\"seq\":1,\"dx\":0,\"dy\":1}");
        assertEquals(1, aliceWs.next("event.ack").get("seq").asLong());
        // WHEN her network drops (no close frame) and bob moves meanwhile
        aliceWs.ws().socket().abort();
        bobWs.send("{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}");
        assertEquals(1, bobWs.next("event.ack").get("seq").asLong());
        // AND she comes back with her reconnection token and last acked seq, once the server has seen her go
        Socket back = reconnect(alice, 1);
        back.send("{\"type\":\"resume\"}");
        // THEN she is told what she missed, under a rotated token
        JsonNode resume = back.next("event.resume");
        assertEquals(1, resume.get("lastSeq").asLong());
        boolean sawBob = false;
        for (JsonNode delta : resume.get("deltas")) {
            sawBob |= delta.get("characterId").asText().equals(bob.characterId()) && delta.get("x").asInt() == 1;
        }
        assertTrue(sawBob, resume.toString());
        assertNotEquals(alice.reconnectionToken(), resume.get("reconnectionToken").asText());
        // AND her sequence continues where it was
        back.send("{\"type\":\"intent.move\",\"seq\":2,\"dx\":0,\"dy\":-1}");
        assertEquals(2, back.next("event.ack").get("seq").asLong());
        back.ws().close();
        bobWs.ws().close();
    }

    /** Reconnects in grace; {@code $disconnect} of the dropped socket is asynchronous, so the first tries may be early. */
    private Socket reconnect(Player player, long lastSeq) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return connect(player.token(), "sessionId=" + player.sessionId() + "&reconnectionToken="
                        + player.reconnectionToken() + "&lastSeq=" + lastSeq);
            } catch (ExecutionException notYetInGrace) {
                if (System.nanoTime() > deadline) {
                    throw notYetInGrace;
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void connect_withAnotherUsersSession_refusedAndTheirSessionUntouched() throws Exception {
        Player alice = admittedPlayer("Alice Iso");
        Player mallory = admittedPlayer("Mallory Iso");

        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> connect(mallory.token(), "sessionId=" + alice.sessionId()));

        assertEquals(403, assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse().statusCode());
        // alice's pending session is still hers to connect
        Socket aliceWs = connect(alice.token(), "sessionId=" + alice.sessionId());
        aliceWs.send("{\"type\":\"ping\"}");
        assertNotNull(aliceWs.next("pong"));
        aliceWs.ws().close();
    }

    @Test
    void connect_withoutToken_unauthorizedBeforeAnyHandler() {
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> TextWebSocket.open(URI.create("ws://127.0.0.1:" + stack.wsPort() + "/local?sessionId=x")));

        assertEquals(401, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }
}
