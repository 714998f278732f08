package io.tilemud.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.tilemud.connection.ConnectionRecord;
import io.tilemud.connection.ConnectionRegistry;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.Ports;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.websocket.realtime.IntentHandler;
import io.tilemud.websocket.support.RecordingMessenger;
import io.tilemud.websocket.support.WebSocketEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RT-08: with PostgreSQL unreachable an intent is refused with a transient DB_UNAVAILABLE and never acknowledged. */
class DatabaseDownTest {

    @Test
    void move_databaseUnreachable_transientDbUnavailableAndNoAck() {
        // GIVEN a handler whose PostgreSQL is a closed port (connection registry and cache still up)
        Map<String, Object> properties = new HashMap<>(SharedTestInfra.get().properties());
        properties.put("datasources.default.url", "jdbc:postgresql://127.0.0.1:" + Ports.free() + "/gone");
        properties.put("datasources.default.connection-timeout", 500);
        properties.put("flyway.datasources.default.enabled", false);
        RecordingMessenger messenger = new RecordingMessenger();
        try (ApplicationContext context = ApplicationContext.builder().properties(properties).singletons(messenger).start()) {
            String connectionId = UUID.randomUUID().toString();
            context.getBean(ConnectionRegistry.class).register(ConnectionRecord.connected(connectionId, "s-" + UUID.randomUUID(),
                    UUID.randomUUID().toString(), UUID.randomUUID().toString(), "world-x", "dev", Instant.now(),
                    Instant.now().plusSeconds(600)));
            // WHEN
            new IntentHandler(context).handleRequest(WebSocketEvents.message(connectionId, "intent.move",
                    "{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}"), new LocalLambdaContext());
            // THEN
            JsonNode frame = messenger.next(connectionId);
            assertEquals("event.error", frame.get("type").asText());
            assertEquals("DB_UNAVAILABLE", frame.get("code").asText());
            assertTrue(frame.get("transient").asBoolean());
            assertEquals(1, frame.get("seq").asLong());
            assertTrue(messenger.nothingFor(connectionId), "no ack may follow");
            // and a resume cannot be answered from a stale guess either (RT-06)
            new IntentHandler(context).handleRequest(WebSocketEvents.message(connectionId, "resume",
                    "{\"type\":\"resume\",\"lastSeq\":0}"), new LocalLambdaContext());
            JsonNode resume = messenger.next(connectionId);
            assertEquals("DB_UNAVAILABLE", resume.get("code").asText(), resume.toString());
            assertTrue(resume.get("transient").asBoolean());
        }
    }
}
