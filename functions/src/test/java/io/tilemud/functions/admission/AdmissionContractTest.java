package io.tilemud.functions.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.tilemud.character.CharacterRepository;
import io.tilemud.character.CharacterStatus;
import io.tilemud.functions.admission.AdmissionFixtures.Player;
import io.tilemud.functions.admission.AdmissionFixtures.Snapshot;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.instance.InstanceState;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One contract test per admission outcome (ADM-01..10, ADM-20) through the real Lambda handler: exact body, and for
 * refusals, that no admission state changed (only the failure counter, where failures count: ADM-12).
 */
class AdmissionContractTest {
    private final HttpFunction api = HttpFunction.shared();
    private final AdmissionFixtures fx = new AdmissionFixtures(api);

    static void assertBody(String expectedJson, HttpResult result) {
        try {
            JsonNode expected = HttpEvents.JSON.readTree(expectedJson);
            assertEquals(expected, result.json(), result.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Refused with {@code reason}: exact body, nothing changed; {@code counted} failures move the rate counter. */
    private void assertRefusedWithoutChange(String instanceId, Player p, String expectedBody, boolean counted,
                                            java.util.function.Supplier<HttpResult> attempt) {
        Snapshot before = fx.snapshot(instanceId, p);
        HttpResult result = attempt.get();
        assertEquals(200, result.status(), result.body());
        assertBody(expectedBody, result);
        Snapshot after = fx.snapshot(instanceId, p);
        assertEquals(new Snapshot(before.slots(), before.queue(), before.sessions(), before.replaceOffers(),
                before.locked(), before.failures() + (counted ? 1 : 0)), after);
    }

    @Test
    void connect_freeSlot_admitsPendingSessionWithToken() {
        // GIVEN an accepting instance with room
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        Player p = fx.player();
        // WHEN
        HttpResult result = fx.connect(p, instance);
        // THEN
        assertEquals(200, result.status(), result.body());
        assertEquals("success", result.json().get("outcome").asText());
        assertNotNull(result.json().get("sessionId").asText());
        assertTrue(result.json().get("reconnectionToken").asText().length() >= 40);
        assertEquals("no-store", result.header("Cache-Control"));
        assertEquals(1, fx.slots(instance));
    }

    @Test
    void connect_noToken_answers401NotAuthenticated() {
        // GIVEN / WHEN a call without a bearer token
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        HttpResult result = api.send(HttpEvents.request("POST", "/instances/" + instance + "/connect")
                .json("{\"characterId\":\"" + UUID.randomUUID() + "\",\"clientBuild\":\"build-1\"}"));
        // THEN
        assertEquals(401, result.status());
        assertEquals("NOT_AUTHENTICATED", result.json().get("code").asText());
        assertEquals(0, fx.slots(instance));
    }

    @Test
    void connect_noCharacterGiven_failsNoActiveCharacter() {
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        Player p = fx.player();
        assertRefusedWithoutChange(instance, p, "{\"outcome\":\"failed\",\"reason\":\"NO_ACTIVE_CHARACTER\"}", true,
                () -> fx.connect(p, instance, null, AdmissionFixtures.BUILD, null, null));
    }

    @Test
    void connect_characterNotSelected_failsNoActiveCharacter() {
        // GIVEN a second character of the same user that is not the selected one
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        Player p = fx.player();
        var other = (io.tilemud.character.CreateCharacterResult.Created) api.bean(io.tilemud.character.CharacterService.class)
                .create(p.userId(), "Alt " + UUID.randomUUID().toString().substring(0, 6));
        // WHEN / THEN
        assertRefusedWithoutChange(instance, p, "{\"outcome\":\"failed\",\"reason\":\"NO_ACTIVE_CHARACTER\"}", true,
                () -> fx.connect(p, instance, other.character().id().toString(), AdmissionFixtures.BUILD, null, null));
    }

    @Test
    void connect_someoneElsesCharacter_failsNoActiveCharacter() {
        // GIVEN Mallory sends Alice's (selected) character id
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        Player alice = fx.player();
        Player mallory = fx.player();
        // WHEN / THEN: same answer as "not your active character" (ADM-03), Alice's state untouched
        assertRefusedWithoutChange(instance, mallory, "{\"outcome\":\"failed\",\"reason\":\"NO_ACTIVE_CHARACTER\"}", true,
                () -> fx.connect(mallory, instance, alice.characterId().toString(), AdmissionFixtures.BUILD, null, null));
        assertFalse(fx.snapshot(instance, alice).locked());
    }

    @Test
    void connect_suspendedCharacter_failsCharacterSuspended() {
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        Player p = fx.player();
        api.bean(CharacterRepository.class).updateStatus(p.characterId(), CharacterStatus.BANNED);
        assertRefusedWithoutChange(instance, p, "{\"outcome\":\"failed\",\"reason\":\"CHARACTER_SUSPENDED\"}", true,
                () -> fx.connect(p, instance));
    }

    @Test
    void connect_suspendedRightAfterAnAdmission_nextAttemptFailsCharacterSuspended() {
        // GIVEN a character admitted a moment ago (its rows were read for that decision)
        String first = fx.instance(2, InstanceState.ACCEPTING);
        String second = fx.instance(2, InstanceState.ACCEPTING);
        Player p = fx.player();
        assertEquals("success", fx.connect(p, first).json().get("outcome").asText());
        // WHEN it is suspended, THEN the very next attempt sees it (the rows are read fresh, never cached)
        api.bean(CharacterRepository.class).updateStatus(p.characterId(), CharacterStatus.SUSPENDED);
        assertRefusedWithoutChange(second, p, "{\"outcome\":\"failed\",\"reason\":\"CHARACTER_SUSPENDED\"}", true,
                () -> fx.connect(p, second));
    }

    @Test
    void connect_instanceIntoMaintenanceRightAfterAnAdmission_nextAttemptFailsMaintenance() {
        String instance = fx.instance(3, InstanceState.ACCEPTING);
        Player admitted = fx.player();
        Player next = fx.player();
        assertEquals("success", fx.connect(admitted, instance).json().get("outcome").asText());
        fx.setState(instance, 3, InstanceState.MAINTENANCE);
        assertRefusedWithoutChange(instance, next, "{\"outcome\":\"failed\",\"reason\":\"MAINTENANCE\"}", false,
                () -> fx.connect(next, instance));
    }

    @Test
    void connect_firstCallOfNewSubject_createsUserAndFailsNoActiveCharacter() {
        // GIVEN a subject never seen before (no user row yet)
        String subject = "adm-first-" + UUID.randomUUID();
        assertTrue(api.bean(io.tilemud.user.UserRepository.class).findBySubject(subject).isEmpty());
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        // WHEN it asks to play some character id
        HttpResult result = api.send(HttpEvents.request("POST", "/instances/" + instance + "/connect")
                .bearer(io.tilemud.functions.support.Tokens.forSubject(subject))
                .json("{\"characterId\":\"" + UUID.randomUUID() + "\",\"clientBuild\":\"" + AdmissionFixtures.BUILD + "\"}"));
        // THEN it is refused as having no such character, its user row exists now (ADM-22), and no slot was taken
        assertBody("{\"outcome\":\"failed\",\"reason\":\"NO_ACTIVE_CHARACTER\"}", result);
        assertTrue(api.bean(io.tilemud.user.UserRepository.class).findBySubject(subject).isPresent());
        assertEquals(0, fx.slots(instance));
    }

    @Test
    void connect_malformedInstanceId_failsInvalidInstance() {
        Player p = fx.player();
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        assertRefusedWithoutChange(instance, p, "{\"outcome\":\"failed\",\"reason\":\"INVALID_INSTANCE\"}", true,
                () -> fx.connect(p, "bad.id", p.characterId().toString(), AdmissionFixtures.BUILD, null, null));
    }

    @Test
    void connect_unknownOrStoppedInstance_failsInvalidInstance() {
        Player p = fx.player();
        String stopped = fx.instance(2, InstanceState.STOPPED);
        assertRefusedWithoutChange(stopped, p, "{\"outcome\":\"failed\",\"reason\":\"INVALID_INSTANCE\"}", true,
                () -> fx.connect(p, stopped));
        assertRefusedWithoutChange(stopped, p, "{\"outcome\":\"failed\",\"reason\":\"INVALID_INSTANCE\"}", true,
                () -> fx.connect(p, "no-such-instance-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    @Test
    void connect_maintenance_failsMaintenanceWithoutCounting() {
        String instance = fx.instance(2, InstanceState.MAINTENANCE);
        Player p = fx.player();
        assertRefusedWithoutChange(instance, p, "{\"outcome\":\"failed\",\"reason\":\"MAINTENANCE\"}", false,
                () -> fx.connect(p, instance));
    }

    @Test
    void connect_otherBuild_failsVersionMismatchWithRequiredBuild() {
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        Player p = fx.player();
        assertRefusedWithoutChange(instance, p,
                "{\"outcome\":\"failed\",\"reason\":\"VERSION_MISMATCH\",\"requiredBuild\":\"build-1\"}", true,
                () -> fx.connect(p, instance, p.characterId().toString(), "build-0", null, null));
        // lockstep: not a prefix match, not a missing build either
        assertRefusedWithoutChange(instance, p,
                "{\"outcome\":\"failed\",\"reason\":\"VERSION_MISMATCH\",\"requiredBuild\":\"build-1\"}", true,
                () -> fx.connect(p, instance, p.characterId().toString(), null, null, null));
    }

    @Test
    void connect_activeOnOtherInstance_failsAlreadyInSessionWithoutReplaceToken() {
        // GIVEN a session on instance A
        String a = fx.instance(2, InstanceState.ACCEPTING);
        String b = fx.instance(2, InstanceState.ACCEPTING);
        Player p = fx.player();
        assertEquals("success", fx.connect(p, a).json().get("outcome").asText());
        // WHEN connecting to B / THEN refused, B unchanged, no replacement offered across instances (ADM-08)
        assertRefusedWithoutChange(b, p, "{\"outcome\":\"failed\",\"reason\":\"ALREADY_IN_SESSION\"}", true,
                () -> fx.connect(p, b));
        assertEquals(1, fx.slots(a));
    }

    @Test
    void connect_activeOnSameInstance_failsAlreadyInSessionWithReplaceToken() {
        // GIVEN an active session on the instance
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        Player p = fx.player();
        String sessionId = fx.connect(p, instance).json().get("sessionId").asText();
        api.bean(io.tilemud.session.SessionService.class).activate(sessionId);
        // WHEN a second device connects
        HttpResult result = fx.connect(p, instance);
        // THEN
        assertEquals("failed", result.json().get("outcome").asText());
        assertEquals("ALREADY_IN_SESSION", result.json().get("reason").asText());
        assertTrue(result.json().get("replaceToken").asText().length() >= 40);
        assertEquals(1, fx.slots(instance));
    }

    @Test
    void connect_capacityFull_queuesAtPositionZero() {
        String instance = fx.instance(1, InstanceState.ACCEPTING);
        Player first = fx.player();
        Player second = fx.player();
        fx.connect(first, instance);
        // WHEN
        HttpResult result = fx.connect(second, instance);
        // THEN: capacity full means queued, distinct from QUEUE_FULL
        assertBody("{\"outcome\":\"queued\",\"position\":0}", result);
        assertEquals(1, fx.depth(instance));
    }

    @Test
    void connect_drainMode_failsDrainModeWithoutEnqueue() {
        String instance = fx.instance(1, InstanceState.DRAINING);
        Player p = fx.player();
        assertRefusedWithoutChange(instance, p, "{\"outcome\":\"failed\",\"reason\":\"DRAIN_MODE\"}", false,
                () -> fx.connect(p, instance));
    }

    @Test
    void connect_selectionChangedInCache_failsNoActiveCharacterAndHeals() {
        // GIVEN the cached selection says another character (a selection change racing this request, ADM-14)
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        Player p = fx.player();
        fx.redis().hset(io.tilemud.admission.AdmissionKeys.ACTIVE_CHARACTER, p.userId().toString(),
                UUID.randomUUID().toString());
        // WHEN / THEN the atomic re-check aborts cleanly
        assertRefusedWithoutChange(instance, p, "{\"outcome\":\"failed\",\"reason\":\"NO_ACTIVE_CHARACTER\"}", true,
                () -> fx.connect(p, instance));
        // AND since PostgreSQL still selects this character, the cache was healed: the next attempt passes
        assertEquals("success", fx.connect(p, instance).json().get("outcome").asText());
    }
}
