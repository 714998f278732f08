package io.tilemud.functions.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.tilemud.functions.admission.AdmissionFixtures.Player;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.instance.InstanceState;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.tilemud.functions.admission.AdmissionContractTest.assertBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WEB-02/WEB-03 server side: the player's instance list and the "Leave queue" route. */
class QueueLeaveAndInstanceListTest {
    private final HttpFunction api = HttpFunction.shared();
    private final AdmissionFixtures fx = new AdmissionFixtures(api);

    private HttpResult leaveQueue(Player p, String instance, String characterId) {
        return api.send(HttpEvents.request("DELETE", "/instances/" + instance + "/queue?characterId=" + characterId)
                .bearer(p.token()));
    }

    @Test
    void leaveQueue_queued_204AndTheNextOneMovesUp() {
        // GIVEN a full instance with two queued
        Player holder = fx.player();
        Player first = fx.player();
        Player second = fx.player();
        String instance = fx.instance(1, InstanceState.ACCEPTING);
        assertEquals("success", fx.connect(holder, instance).json().get("outcome").asText());
        assertBody("{\"outcome\":\"queued\",\"position\":0}", fx.connect(first, instance));
        assertBody("{\"outcome\":\"queued\",\"position\":1}", fx.connect(second, instance));
        // WHEN the head leaves the queue
        HttpResult left = leaveQueue(first, instance, first.characterId().toString());
        // THEN it is gone and the second is at 0
        assertEquals(204, left.status(), left.body());
        assertEquals(1, fx.depth(instance));
        assertEquals(404, fx.status(first, instance).status());
        assertEquals(0, fx.status(second, instance).json().get("position").asInt());
        // AND leaving again is the same 204 (idempotent), changing nothing
        assertEquals(204, leaveQueue(first, instance, first.characterId().toString()).status());
        assertEquals(1, fx.depth(instance));
    }

    @Test
    void leaveQueue_someoneElsesCharacter_refusedAndTheirPlaceKept() {
        Player holder = fx.player();
        Player queued = fx.player();
        Player other = fx.player();
        String instance = fx.instance(1, InstanceState.ACCEPTING);
        fx.connect(holder, instance);
        assertBody("{\"outcome\":\"queued\",\"position\":0}", fx.connect(queued, instance));

        HttpResult refused = leaveQueue(other, instance, queued.characterId().toString());

        assertEquals(400, refused.status(), refused.body());
        assertEquals("NO_ACTIVE_CHARACTER", refused.json().get("code").asText());
        assertEquals(1, fx.depth(instance));
        assertEquals(0, fx.status(queued, instance).json().get("position").asInt());
    }

    @Test
    void leaveQueue_badInstanceOrCharacter_contractErrorsNoChange() {
        Player p = fx.player();
        HttpResult badInstance = leaveQueue(p, "bad.id", p.characterId().toString());
        assertEquals(400, badInstance.status(), badInstance.body());
        assertEquals("INVALID_INSTANCE", badInstance.json().get("code").asText());
        HttpResult badCharacter = leaveQueue(p, fx.instance(1, InstanceState.ACCEPTING), "not-a-uuid");
        assertEquals(400, badCharacter.status(), badCharacter.body());
        assertEquals("NO_ACTIVE_CHARACTER", badCharacter.json().get("code").asText());
        assertEquals(false, badCharacter.json().get("transient").asBoolean());
    }

    @Test
    void leaveQueue_promotedBeforeTheLeaveArrived_answersTheAdmission() {
        Player holder = fx.player();
        Player queued = fx.player();
        String instance = fx.instance(1, InstanceState.ACCEPTING);
        String held = fx.connect(holder, instance).json().get("sessionId").asText();
        fx.connect(queued, instance);
        assertEquals(204, fx.leave(holder, held).status()); // promotes the queued player

        HttpResult late = leaveQueue(queued, instance, queued.characterId().toString());

        assertEquals(200, late.status(), late.body());
        assertEquals("success", late.json().get("outcome").asText());
        assertEquals(late.json().get("sessionId").asText(), fx.connect(queued, instance).json().get("sessionId").asText());
    }

    @Test
    void instances_anyPlayer_listsStateBuildCapacityOccupancyAndQueueDepth() {
        // GIVEN an instance of capacity 1 with one playing and one queued, one in maintenance and one stopped
        Player holder = fx.player();
        Player queued = fx.player();
        String busy = fx.instance("list-", 1, InstanceState.ACCEPTING);
        fx.connect(holder, busy);
        fx.connect(queued, busy);
        String maintenance = fx.instance("list-", 5, InstanceState.MAINTENANCE);
        String stopped = fx.instance("list-", 5, InstanceState.STOPPED);
        // WHEN a player (no admin role) lists instances
        HttpResult list = api.send(HttpEvents.get("/instances").bearer(fx.player().token()));
        // THEN
        assertEquals(200, list.status(), list.body());
        assertEquals("no-store", list.header("Cache-Control"));
        JsonNode busyEntry = entry(list.json(), busy);
        assertEquals("ACCEPTING", busyEntry.get("state").asText());
        assertEquals(AdmissionFixtures.BUILD, busyEntry.get("build").asText());
        assertEquals(1, busyEntry.get("capacity").asInt());
        assertEquals(1, busyEntry.get("occupancy").asInt());
        assertEquals(1, busyEntry.get("queueDepth").asInt());
        JsonNode maintenanceEntry = entry(list.json(), maintenance);
        assertEquals("MAINTENANCE", maintenanceEntry.get("state").asText());
        assertEquals(0, maintenanceEntry.get("occupancy").asInt());
        assertNull(entry(list.json(), stopped), "stopped instances do not exist for players");
    }

    @Test
    void instances_noToken_401() {
        HttpResult list = api.send(HttpEvents.get("/instances"));
        assertEquals(401, list.status());
        assertTrue(list.body().contains("NOT_AUTHENTICATED"), list.body());
    }

    private static JsonNode entry(JsonNode list, String id) {
        for (JsonNode node : list) {
            if (node.get("id").asText().equals(id)) {
                return node;
            }
        }
        return null;
    }
}
