package io.tilemud.realtime;

import io.micronaut.json.JsonMapper;
import io.tilemud.error.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Server → client frames (specs/asyncapi.yaml). */
@Singleton
public class Frames {
    /** API Gateway's WebSocket frame limit; the messenger refuses anything larger. */
    public static final int MAX_FRAME_BYTES = 32 * 1024;

    private final JsonMapper json;

    public Frames(JsonMapper json) {
        this.json = json;
    }

    /*
     * The two frames of every move (its ack, and the delta everyone in view gets) have fixed shapes of numbers and an
     * id, so they are written directly: the serializer's walk over a map for them was ~2 % of the stack JVM's samples
     * at 500 moves/s. FramesTest holds both equal, byte for byte, to what the serializer writes.
     */

    public String ack(long seq) {
        return "{\"type\":\"event.ack\",\"seq\":" + seq + "}";
    }

    public String error(ErrorCode code, String message, Long seq) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "event.error");
        frame.put("code", code.name());
        frame.put("message", message);
        frame.put("transient", code.isTransient());
        if (seq != null) {
            frame.put("seq", seq);
        }
        return write(frame);
    }

    public String moved(String characterId, int x, int y) {
        if (!needsNoEscaping(characterId)) {
            return write(movedFrame(characterId, x, y));
        }
        return "{\"type\":\"event.state_delta\",\"characterId\":\"" + characterId + "\",\"x\":" + x + ",\"y\":" + y + "}";
    }

    /** Letters, digits and '-' only (a UUID is): written into a JSON string as they are. */
    static boolean needsNoEscaping(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    public Map<String, Object> movedFrame(String characterId, int x, int y) {
        return ordered("type", "event.state_delta", "characterId", characterId, "x", x, "y", y);
    }

    public String chat(String characterId, String text) {
        return write(chatFrame(characterId, text));
    }

    public Map<String, Object> chatFrame(String characterId, String text) {
        return ordered("type", "event.chat", "characterId", characterId, "text", text);
    }

    /**
     * RT-06: everything up to {@code lastSeq} is acknowledged; {@code deltas} are the frames the client missed while
     * away, in order. Carries the session's current (rotated) reconnection token when the cache could tell it.
     */
    public String resume(String connectionId, long lastSeq, List<Map<String, Object>> deltas,
                         @Nullable String reconnectionToken) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "event.resume");
        // The id the @connections management API knows this socket by: lets a developer or a client's diagnostics
        // name it (API Gateway itself never tells a client its connection id).
        frame.put("connectionId", connectionId);
        frame.put("lastSeq", lastSeq);
        frame.put("deltas", deltas);
        if (reconnectionToken != null) {
            frame.put("reconnectionToken", reconnectionToken);
        }
        return write(frame);
    }

    /** RT-06: the whole view, when deltas cannot bring the client up to date ({@code reason} says why). */
    public String snapshot(String connectionId, String reason, long lastSeq, Map<String, Object> you,
                           List<Map<String, Object>> players, @Nullable String reconnectionToken) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "event.snapshot");
        frame.put("connectionId", connectionId);
        frame.put("reason", reason);
        frame.put("lastSeq", lastSeq);
        frame.put("you", you);
        frame.put("players", players);
        if (reconnectionToken != null) {
            frame.put("reconnectionToken", reconnectionToken);
        }
        return write(frame);
    }

    /** The server ended the session (RT-09 inactivity); the next connect needs a fresh admission. */
    public String sessionEnded(String reason) {
        return write(ordered("type", "event.session_ended", "reason", reason));
    }

    public String pong() {
        return write(ordered("type", "pong"));
    }

    /** RT-10: the instance now runs another build; the client must update before it plays again. */
    public String versionMismatch(String requiredBuild) {
        return write(ordered("type", "event.version_mismatch", "requiredBuild", requiredBuild));
    }

    /** RT-07: the cache is down; gameplay continues, admission and reconnection may be refused meanwhile. */
    public String degraded() {
        return write(ordered("type", "event.degraded", "cache", "DOWN"));
    }

    /** RT-07: the cache is back; sent once to a client that was told it was down. */
    public String recovered() {
        return write(ordered("type", "event.degraded", "cache", "UP"));
    }

    public String sessionReplaced() {
        return write(ordered("type", "event.session_replaced"));
    }

    /**
     * ROOM-02: one room event, {@code {type, roomId, roomSeq, at, …payload}}; members see them in roomSeq order.
     *
     * @param at when it happened (ISO-8601 UTC)
     */
    public String roomEvent(String type, String roomId, long roomSeq, java.time.Instant at, Map<String, Object> payload) {
        return write(roomEventFrame(type, roomId, roomSeq, at, payload));
    }

    public Map<String, Object> roomEventFrame(String type, String roomId, long roomSeq, java.time.Instant at,
                                              Map<String, Object> payload) {
        Map<String, Object> frame = ordered("type", type, "roomId", roomId, "roomSeq", roomSeq, "at", at.toString());
        payload.forEach(frame::putIfAbsent);
        return frame;
    }

    /** ROOM-02: the {@code room.chat} is in the room's log as event {@code roomSeq}. */
    public String roomAck(String roomId, long roomSeq) {
        return write(ordered("type", "room.ack", "roomId", roomId, "roomSeq", roomSeq));
    }

    /**
     * ROOM-02: the answer to {@code room.resume}: the room events the member missed, oldest first. When
     * {@code complete} is false more follow: the client asks again from the last roomSeq it got.
     *
     * @param roomId     the member's room, null when it is in none (any room it was in is gone)
     * @param lastRoomSeq the room's newest roomSeq
     */
    public String roomResume(@Nullable String roomId, long lastRoomSeq, List<Map<String, Object>> events, boolean complete) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "room.resume");
        frame.put("roomId", roomId);
        frame.put("lastRoomSeq", lastRoomSeq);
        frame.put("events", events);
        frame.put("complete", complete);
        return write(frame);
    }

    /** Keys in the order given: {@code type} first, as the AsyncAPI examples and the README show. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> frame = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            frame.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return frame;
    }

    private String write(Object frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
