package io.tilemud.realtime;

import io.micronaut.json.JsonMapper;
import io.tilemud.error.ErrorCode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Server → client frames (specs/asyncapi.yaml). */
@Singleton
public class Frames {
    private final JsonMapper json;

    public Frames(JsonMapper json) {
        this.json = json;
    }

    public String ack(long seq) {
        return write(Map.of("type", "event.ack", "seq", seq));
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
        return write(Map.of("type", "event.state_delta", "characterId", characterId, "x", x, "y", y));
    }

    public String chat(String characterId, String text) {
        return write(Map.of("type", "event.chat", "characterId", characterId, "text", text));
    }

    public String pong() {
        return write(Map.of("type", "pong"));
    }

    /** RT-10: the instance now runs another build; the client must update before it plays again. */
    public String versionMismatch(String requiredBuild) {
        return write(Map.of("type", "event.version_mismatch", "requiredBuild", requiredBuild));
    }

    /** RT-07: the cache is down; gameplay continues, admission and reconnection may be refused meanwhile. */
    public String degraded() {
        return write(Map.of("type", "event.degraded", "cache", "DOWN"));
    }

    public String sessionReplaced() {
        return write(Map.of("type", "event.session_replaced"));
    }

    private String write(Object frame) {
        try {
            return json.writeValueAsString(frame);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
