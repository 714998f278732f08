package io.tilemud.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.tilemud.localstack.Players.Player;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ROOM-01/02 end to end through the local stack with real WebSockets: four members in a room, their lines seen by
 * all in roomSeq order, a member whose network drops resumes the room events it missed, and a fifth join is
 * ROOM_FULL.
 */
class RoomsEndToEndTest {
    private final LocalStack stack = RunningLocalStack.get();
    private final int http = stack.httpPort();

    private HttpResponse<String> post(Player p, String path, String body) {
        return Http.send(Http.to(http, path).header("Authorization", "Bearer " + p.token())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private TextWebSocket connect(Player p, String extra) throws Exception {
        return TextWebSocket.open(URI.create("ws://127.0.0.1:" + stack.wsPort() + "/local?sessionId=" + p.sessionId()
                + extra + "&token=" + p.token()));
    }

    /** Room event frames (those with a roomSeq) until {@code count} have arrived. */
    private static List<JsonNode> roomEvents(TextWebSocket ws, int count) throws InterruptedException {
        List<JsonNode> events = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.size() < count && System.nanoTime() < deadline) {
            String frame = ws.messages.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null) {
                JsonNode node = Http.json(frame);
                if (node.has("roomSeq") && !node.get("type").asText().equals("room.ack")) {
                    events.add(node);
                }
            }
        }
        return events;
    }

    private static JsonNode next(TextWebSocket ws, String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String frame = ws.messages.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && Http.json(frame).path("type").asText().equals(type)) {
                return Http.json(frame);
            }
        }
        throw new AssertionError("no " + type);
    }

    private static List<Long> seqs(List<JsonNode> events) {
        return events.stream().map(e -> e.get("roomSeq").asLong()).toList();
    }

    @Test
    void roomOfFour_orderedEventsDropAndResume_fifthJoinRoomFull() throws Exception {
        // GIVEN four admitted players, connected, in one room
        List<Player> players = new ArrayList<>();
        List<TextWebSocket> sockets = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Player p = Players.admitted(http, "Room" + i + UUID.randomUUID().toString().substring(0, 4));
            players.add(p);
            sockets.add(connect(p, ""));
        }
        HttpResponse<String> created = post(players.getFirst(), "/rooms", "{}");
        assertEquals(201, created.statusCode(), created.body());
        String invite = Http.json(created).get("inviteToken").asText();
        String roomId = Http.json(created).get("roomId").asText();
        for (Player p : players.subList(1, 4)) {
            HttpResponse<String> joined = post(p, "/rooms/join", "{\"inviteToken\":\"" + invite + "\"}");
            assertEquals(200, joined.statusCode(), joined.body());
        }
        assertEquals(List.of(1L, 2L, 3L, 4L), seqs(roomEvents(sockets.get(0), 4)));
        assertEquals(List.of(2L, 3L, 4L), seqs(roomEvents(sockets.get(1), 3)));
        assertEquals(List.of(3L, 4L), seqs(roomEvents(sockets.get(2), 2)));
        assertEquals(List.of(4L), seqs(roomEvents(sockets.get(3), 1)));
        // WHEN each member writes a line
        List<List<JsonNode>> seen = new ArrayList<>();
        sockets.forEach(s -> seen.add(new ArrayList<>()));
        for (int m = 0; m < 4; m++) {
            sockets.get(m).send("{\"type\":\"room.chat\",\"text\":\"hello from " + m + "\"}");
            for (int r = 0; r < 4; r++) {
                seen.get(r).addAll(roomEvents(sockets.get(r), 1));
            }
        }
        // THEN all four see the same lines in roomSeq order
        for (int m = 0; m < 4; m++) {
            List<JsonNode> lines = seen.get(m);
            assertEquals(List.of(5L, 6L, 7L, 8L), seqs(lines), "member " + m);
            assertEquals("hello from 2", lines.get(2).get("text").asText());
            assertEquals(roomId, lines.get(2).get("roomId").asText());
        }
        // WHEN the last member's network drops and two lines are written meanwhile
        sockets.get(3).socket().abort();
        sockets.get(0).send("{\"type\":\"room.chat\",\"text\":\"while you were away\"}");
        next(sockets.get(0), "room.ack");
        sockets.get(1).send("{\"type\":\"room.chat\",\"text\":\"and this\"}");
        next(sockets.get(1), "room.ack");
        // AND it reconnects with its token and asks for what followed roomSeq 8
        TextWebSocket back = reconnect(players.get(3));
        back.send("{\"type\":\"room.resume\",\"roomSeq\":8}");
        JsonNode resume = next(back, "room.resume");
        // THEN it gets exactly those
        List<String> missed = new ArrayList<>();
        resume.get("events").forEach(e -> missed.add(e.get("roomSeq").asLong() + ":" + e.get("text").asText()));
        assertEquals(List.of("9:while you were away", "10:and this"), missed, resume.toString());
        assertTrue(resume.get("complete").asBoolean());
        // AND a fifth player cannot join
        Player fifth = Players.admitted(http, "Fifth" + UUID.randomUUID().toString().substring(0, 4));
        HttpResponse<String> full = post(fifth, "/rooms/join", "{\"inviteToken\":\"" + invite + "\"}");
        assertEquals(409, full.statusCode(), full.body());
        assertEquals("ROOM_FULL", Http.json(full).get("code").asText());
        back.close();
        sockets.subList(0, 3).forEach(TextWebSocket::close);
    }

    /** $disconnect of the dropped socket is asynchronous: the first tries may come before the session is in grace. */
    private TextWebSocket reconnect(Player p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return connect(p, "&reconnectionToken=" + p.reconnectionToken());
            } catch (ExecutionException notYetInGrace) {
                if (System.nanoTime() > deadline) {
                    throw notYetInGrace;
                }
                Thread.sleep(100);
            }
        }
    }
}
