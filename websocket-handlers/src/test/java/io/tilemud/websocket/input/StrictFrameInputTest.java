package io.tilemud.websocket.input;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, strict input over the WebSocket (RT-03, RT-04, RT-13): integers are JSON integers in range, never
 * truncated or coerced; text fields reject what PostgreSQL cannot store; every refusal is a non-transient
 * {@code VALIDATION_FAILED} carrying the frame's seq when it has one, and leaves position, seq and action log as
 * they were.
 */
class StrictFrameInputTest {
    private final RealtimeWorld world = RealtimeWorld.shared();

    private static final String TWO_32_PLUS_1 = "4294967297";
    private static final String TWO_64_PLUS_1 = "18446744073709551617";
    private static final String TWO_63_MINUS_1 = "9223372036854775807";

    private static void assertRefused(JsonNode reply, Long seq) {
        assertEquals("event.error", reply.get("type").asText(), reply.toString());
        assertEquals("VALIDATION_FAILED", reply.get("code").asText(), reply.toString());
        assertTrue(reply.get("transient").isBoolean(), reply.toString());
        assertFalse(reply.get("transient").asBoolean(), reply.toString());
        assertFalse(reply.get("message").asText().isBlank(), reply.toString());
        if (seq == null) {
            assertTrue(reply.get("seq") == null || reply.get("seq").isNull(), reply.toString());
        } else {
            assertEquals(seq.longValue(), reply.get("seq").asLong(), reply.toString());
        }
    }

    private static String move(String seq, String dx, String dy) {
        return "{\"type\":\"intent.move\",\"seq\":" + seq + ",\"dx\":" + dx + ",\"dy\":" + dy + "}";
    }

    @Test
    void move_nonIntegerOrOutOfRangeStep_validationFailedWithSeqAndNothingMoved() {
        // GIVEN a connected player at its start tile
        var player = world.connectedPlayer("Strict Mover");
        var before = world.durable(player);
        // WHEN steps that used to be truncated or wrapped into ±1 arrive
        for (String dx : List.of("1.5", "1.0", "1e0", TWO_32_PLUS_1, TWO_64_PLUS_1, TWO_63_MINUS_1, "true", "\"1\"",
                "[1]", "{\"v\":1}", "null")) {
            // THEN each is refused as bad input, seq 1 named, and nothing is stored
            assertRefused(world.send(player, "intent.move", move("1", dx, "0")), 1L);
            assertRefused(world.send(player, "intent.move", move("1", "0", dx)), 1L);
            assertEquals(before, world.durable(player), "dx " + dx);
        }
        // AND seq 1 was not consumed: the first real move is seq 1
        assertEquals("event.ack", world.send(player, "intent.move", move("1", "1", "0")).get("type").asText());
        assertEquals(1, world.durable(player).x());
    }

    @Test
    void intents_nonIntegerSeq_validationFailedWithoutSeqAndNothingStored() {
        var player = world.connectedPlayer("Strict Seq");
        var before = world.durable(player);
        for (String seq : List.of("1.5", "1.0", "true", "\"1\"", TWO_64_PLUS_1, "0", "-1", "null", "{}")) {
            assertRefused(world.send(player, "intent.move", move(seq, "1", "0")), null);
            assertRefused(world.send(player, "intent.chat", "{\"type\":\"intent.chat\",\"seq\":" + seq + ",\"text\":\"hi\"}"), null);
            assertRefused(world.send(player, "intent.action",
                    "{\"type\":\"intent.action\",\"seq\":" + seq + ",\"kind\":\"wave\",\"args\":{}}"), null);
        }
        assertEquals(before, world.durable(player));
    }

    @Test
    void chat_textPostgresCannotStore_validationFailedNotDbUnavailable() {
        // GIVEN chat "\u0000", which used to reach PostgreSQL and come back as a transient DB_UNAVAILABLE
        var player = world.connectedPlayer("Strict Chat");
        var before = world.durable(player);
        for (String text : List.of("\"\\u0000\"", "\"a\\u0000b\"", "\"\\ud800\"", "\"x\\udc00y\"", "\"\\udbff\"",
                "true", "12", "1.5", "[\"a\"]", "{\"t\":\"a\"}")) {
            // THEN non-transient, with the seq, and the seq is still free
            assertRefused(world.send(player, "intent.chat", "{\"type\":\"intent.chat\",\"seq\":1,\"text\":" + text + "}"), 1L);
        }
        assertEquals(before, world.durable(player));
        // a real surrogate pair (an emoji) and ordinary controls such as a tab are text PostgreSQL stores
        assertEquals("event.ack", world.send(player, "intent.chat",
                "{\"type\":\"intent.chat\",\"seq\":1,\"text\":\"hi \\ud83d\\ude00\\t!\"}").get("type").asText());
    }

    @Test
    void action_kindOrArgsPostgresCannotStore_validationFailedAndNoActionRow() {
        var player = world.connectedPlayer("Strict Action");
        var before = world.durable(player);
        for (String frame : List.of(
                "{\"type\":\"intent.action\",\"seq\":1,\"kind\":\"a\\u0000\",\"args\":{}}",
                "{\"type\":\"intent.action\",\"seq\":1,\"kind\":true,\"args\":{}}",
                "{\"type\":\"intent.action\",\"seq\":1,\"kind\":7,\"args\":{}}",
                "{\"type\":\"intent.action\",\"seq\":1,\"kind\":\"wave\",\"args\":{\"to\":\"\\u0000\"}}",
                "{\"type\":\"intent.action\",\"seq\":1,\"kind\":\"wave\",\"args\":{\"\\u0000\":1}}",
                "{\"type\":\"intent.action\",\"seq\":1,\"kind\":\"wave\",\"args\":{\"deep\":[{\"x\":\"\\ud800\"}]}}")) {
            assertRefused(world.send(player, "intent.action", frame), 1L);
        }
        assertEquals(before, world.durable(player));
        assertEquals("event.ack", world.send(player, "intent.action",
                "{\"type\":\"intent.action\",\"seq\":1,\"kind\":\"wave\",\"args\":{\"n\":1.5,\"to\":\"all\"}}").get("type").asText());
    }

    @Test
    void resume_nonIntegerLastSeq_validationFailed() {
        var player = world.connectedPlayer("Strict Resume");
        for (String lastSeq : List.of("1.5", "true", "\"0\"", TWO_64_PLUS_1, "-1", "[]")) {
            assertRefused(world.send(player, "$default", "{\"type\":\"resume\",\"lastSeq\":" + lastSeq + "}"), null);
        }
        assertEquals("event.snapshot", world.send(player, "$default", "{\"type\":\"resume\",\"lastSeq\":0}").get("type").asText());
    }

    @Test
    void connect_lastSeqQueryNotDigits_refusedWithValidationFailed() {
        var player = world.connectedPlayer("Strict Query");
        for (String lastSeq : List.of("+1", "-0", "1.0", "1e3", " 1", "99999999999999999999")) {
            var response = world.connect.handleRequest(io.tilemud.websocket.support.WebSocketEvents.connect(
                    java.util.UUID.randomUUID().toString(), player.subject(),
                    java.util.Map.of("sessionId", player.sessionId(), "lastSeq", lastSeq)),
                    new io.tilemud.embedded.LocalLambdaContext());
            assertEquals(400, response.getStatusCode(), lastSeq);
            assertTrue(response.getBody().contains("\"code\":\"VALIDATION_FAILED\""), response.getBody());
            assertTrue(response.getBody().contains("\"transient\":false"), response.getBody());
        }
    }
}
