package io.tilemud.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.tilemud.character.CharacterRepository;
import io.tilemud.character.CharacterService;
import io.tilemud.character.CreateCharacterResult;
import io.tilemud.connection.ConnectionRecord;
import io.tilemud.connection.ConnectionRegistry;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.Ports;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import io.tilemud.realtime.ActionLog;
import io.tilemud.user.UserService;
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

/** RT-07: with Redis unreachable a connected player keeps playing from PostgreSQL and is told it is degraded. */
class CacheDownTest {

    @Test
    void move_redisUnreachable_committedAckedAndClientToldDegradedOnce() {
        // GIVEN a connected player and a handler whose Redis is a closed port (PostgreSQL and DynamoDB still up)
        Map<String, Object> properties = new HashMap<>(SharedTestInfra.get().properties());
        properties.put("redis.uri", "redis://127.0.0.1:" + Ports.free());
        RecordingMessenger messenger = new RecordingMessenger();
        try (ApplicationContext context = ApplicationContext.builder().properties(properties).singletons(messenger).start()) {
            String instance = "cd-" + UUID.randomUUID().toString().substring(0, 8);
            context.getBean(InstanceService.class).upsert(instance, 10, "dev", InstanceState.ACCEPTING);
            UUID user = context.getBean(UserService.class).ensureUser("cd-" + UUID.randomUUID()).id();
            var character = ((CreateCharacterResult.Created) context.getBean(CharacterService.class).create(user, "Steady")).character();
            String sessionId = "s-" + UUID.randomUUID();
            String connectionId = UUID.randomUUID().toString();
            context.getBean(ConnectionRegistry.class).register(ConnectionRecord.connected(connectionId, sessionId, user.toString(),
                    character.id().toString(), instance, "dev", Instant.now(), Instant.now().plusSeconds(600)));
            // WHEN
            new IntentHandler(context).handleRequest(WebSocketEvents.message(connectionId, "intent.move",
                    "{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}"), new LocalLambdaContext());
            // THEN the client is told, the move is durable and acknowledged
            JsonNode degraded = messenger.next(connectionId);
            assertEquals("event.degraded", degraded.get("type").asText());
            JsonNode ack = messenger.next(connectionId);
            assertEquals("event.ack", ack.get("type").asText());
            assertEquals(1, ack.get("seq").asLong());
            assertEquals(1, context.getBean(CharacterRepository.class).findById(character.id()).orElseThrow().x());
            assertEquals(1, context.getBean(ActionLog.class).lastSeq(sessionId));
            // AND told only once: the next move is just acknowledged
            new IntentHandler(context).handleRequest(WebSocketEvents.message(connectionId, "intent.move",
                    "{\"type\":\"intent.move\",\"seq\":2,\"dx\":-1,\"dy\":0}"), new LocalLambdaContext());
            assertEquals("event.ack", messenger.next(connectionId).get("type").asText());
            assertTrue(messenger.nothingFor(connectionId));
            assertTrue(context.getBean(ConnectionRegistry.class).find(connectionId).orElseThrow().degradedSince() != null);
        }
    }
}
