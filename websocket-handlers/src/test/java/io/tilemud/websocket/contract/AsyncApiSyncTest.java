package io.tilemud.websocket.contract;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.json.JsonMapper;
import io.tilemud.contract.WebSocketRoutes;
import io.tilemud.error.ErrorCode;
import io.tilemud.realtime.Frames;
import io.tilemud.rooms.RoomEvent;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** specs/asyncapi.yaml documents exactly the frames the handlers accept and send: no more, no fewer. */
class AsyncApiSyncTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @SuppressWarnings("unchecked")
    private static Set<String> documented(Map<String, Object> spec, String operation) {
        Map<String, Object> channel = (Map<String, Object>) ((Map<String, Object>) spec.get("channels")).get("/");
        Map<String, Object> message = (Map<String, Object>) ((Map<String, Object>) channel.get(operation)).get("message");
        Map<String, Object> messages = (Map<String, Object>) ((Map<String, Object>) spec.get("components")).get("messages");
        return ((List<Map<String, String>>) message.get("oneOf")).stream()
                .map(ref -> ref.get("$ref").substring(ref.get("$ref").lastIndexOf('/') + 1))
                .map(name -> (String) ((Map<String, Object>) messages.get(name)).get("name"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, Object> spec() throws IOException {
        try (Reader reader = Files.newBufferedReader(Path.of("..", "specs", "asyncapi.yaml"))) {
            return new Yaml().load(reader);
        }
    }

    @Test
    void clientFrames_matchTheRoutes() throws IOException {
        Set<String> routes = new TreeSet<>(WebSocketRoutes.INTENT_ROUTES);
        routes.remove(WebSocketRoutes.DEFAULT);

        assertEquals(routes, documented(spec(), "publish"));
    }

    @Test
    void serverFrames_matchWhatFramesWrites() throws IOException {
        Frames frames = new Frames(JsonMapper.createDefault());
        List<String> written = List.of(frames.ack(1), frames.error(ErrorCode.BAD_REQUEST, "m", null),
                frames.moved("c", 1, 2), frames.chat("c", "t"), frames.pong(), frames.versionMismatch("b"),
                frames.degraded(), frames.recovered(), frames.sessionReplaced(),
                frames.resume("c1", 1, List.of(), null), frames.snapshot("c1", "R", 1, Map.of(), List.of(), null),
                frames.sessionEnded("INACTIVE"), frames.roomAck("r", 1), frames.roomResume("r", 1, List.of(), true));
        List<String> roomEvents = new java.util.ArrayList<>();
        for (String type : List.of(RoomEvent.MEMBER_JOINED, RoomEvent.MEMBER_LEFT, RoomEvent.CHAT_MESSAGE,
                RoomEvent.ROOM_CLOSING, RoomEvent.ROOM_DELETED, RoomEvent.VOICE_JOINED, RoomEvent.VOICE_LEFT,
                RoomEvent.VOICE_STATUS)) {
            roomEvents.add(frames.roomEvent(type, "r", 1, java.time.Instant.EPOCH, Map.of()));
        }
        // A new frame method must join the list above (and the spec).
        long frameMethods = Arrays.stream(Frames.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getReturnType() == String.class)
                .map(Method::getName).distinct().count();
        // roomEvent writes every room event type (below).
        assertEquals(frameMethods, written.size() + 1);

        Set<String> types = new TreeSet<>();
        for (String frame : java.util.stream.Stream.concat(written.stream(), roomEvents.stream()).toList()) {
            types.add(JSON.readTree(frame).get("type").asText());
        }
        assertEquals(types, documented(spec(), "subscribe"));
    }
}
