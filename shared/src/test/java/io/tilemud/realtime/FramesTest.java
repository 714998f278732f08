package io.tilemud.realtime;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The move path's frames written directly are exactly what the JSON serializer writes for the same fields. */
class FramesTest {
    private final JsonMapper json = JsonMapper.createDefault();
    private final Frames frames = new Frames(json);

    private String serialized(Object... keysAndValues) throws IOException {
        Map<String, Object> frame = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            frame.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return json.writeValueAsString(frame);
    }

    @Test
    void ack_sameBytesAsTheSerializer() throws IOException {
        for (long seq : List.of(0L, 1L, 42L, -1L, Long.MAX_VALUE, Long.MIN_VALUE)) {
            assertEquals(serialized("type", "event.ack", "seq", seq), frames.ack(seq));
        }
        assertEquals("{\"type\":\"event.ack\",\"seq\":7}", frames.ack(7));
    }

    @Test
    void moved_sameBytesAsTheSerializer() throws IOException {
        String id = UUID.randomUUID().toString();
        for (int[] xy : new int[][]{{0, 0}, {5, 63}, {-1, -7}, {Integer.MAX_VALUE, Integer.MIN_VALUE}}) {
            assertEquals(serialized("type", "event.state_delta", "characterId", id, "x", xy[0], "y", xy[1]),
                    frames.moved(id, xy[0], xy[1]));
        }
        assertEquals(json.writeValueAsString(frames.movedFrame(id, 3, 4)), frames.moved(id, 3, 4));
    }

    @Test
    void moved_anIdThatNeedsEscaping_goesThroughTheSerializer() throws IOException {
        for (String id : List.of("a\"b", "back\\slash", "line\nbreak", "é", "", "tab\t", "{}")) {
            String frame = frames.moved(id, 1, 2);
            assertEquals(serialized("type", "event.state_delta", "characterId", id, "x", 1, "y", 2), frame);
            assertEquals(id, json.readValue(frame, Map.class).get("characterId"));
        }
    }

    @Test
    void needsNoEscaping_lettersDigitsAndDashOnly() {
        assertTrue(Frames.needsNoEscaping(UUID.randomUUID().toString()));
        assertTrue(Frames.needsNoEscaping("ABC-xyz-019"));
        assertFalse(Frames.needsNoEscaping("a b"));
        assertFalse(Frames.needsNoEscaping("a\"b"));
        assertFalse(Frames.needsNoEscaping("a/b"));
        assertFalse(Frames.needsNoEscaping("ü"));
    }
}
