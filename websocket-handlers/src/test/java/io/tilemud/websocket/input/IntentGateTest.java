package io.tilemud.websocket.input;

import com.fasterxml.jackson.databind.JsonNode;
import io.tilemud.realtime.IntentGate;
import io.tilemud.realtime.IntentGateSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Overload is refused early (issue 15): with every place of the intent gate taken, an intent is answered with the
 * transient {@code SERVER_BUSY} naming its seq after the gate's short wait, before any database work — nothing stored,
 * the seq not consumed — and the same intent sent again once there is room is applied.
 */
class IntentGateTest {
    private final RealtimeWorld world = RealtimeWorld.shared();

    @Test
    void move_everyPlaceTaken_serverBusyTransientAndNothingStored() {
        // GIVEN a connected player, and every place of the gate taken by intents still in flight
        var player = world.connectedPlayer("Busy Mover");
        var before = world.durable(player);
        IntentGate gate = world.context.getBean(IntentGate.class);
        int places = world.context.getBean(IntentGateSettings.class).maxInFlight();
        for (int i = 0; i < places; i++) {
            assertTrue(gate.enter(), "place " + i);
        }
        JsonNode reply;
        long waited;
        try {
            // WHEN a move arrives
            long started = System.nanoTime();
            reply = world.send(player, "intent.move", "{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}");
            waited = (System.nanoTime() - started) / 1_000_000;
        } finally {
            for (int i = 0; i < places; i++) {
                gate.leave();
            }
        }

        // THEN it is refused as busy, transient, seq named, within about the gate's wait; nothing changed
        assertEquals("event.error", reply.get("type").asText(), reply.toString());
        assertEquals("SERVER_BUSY", reply.get("code").asText(), reply.toString());
        assertTrue(reply.get("transient").asBoolean(), reply.toString());
        assertEquals(1, reply.get("seq").asLong(), reply.toString());
        long wait = world.context.getBean(IntentGateSettings.class).queueWaitMillis();
        assertTrue(waited >= wait && waited < wait + 2_000, "answered after " + waited + " ms");
        assertEquals(before, world.durable(player));
        // AND with room again, the same seq is applied
        assertEquals("event.ack", world.send(player, "intent.move",
                "{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}").get("type").asText());
        assertEquals(before.x() + 1, world.durable(player).x());
    }
}
