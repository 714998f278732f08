package io.tilemud.functions.admission;

import io.tilemud.admission.AdmissionKeys;
import io.tilemud.functions.admission.AdmissionFixtures.Player;
import io.tilemud.functions.support.HttpEvents;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.instance.InstanceState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ADM-13: an attempt answers {@code timeout} when its deadline passes, and a decision that lands later is rolled
 * back. The deadline is 300 ms here and the late decision is forced by {@link SlowCheckpoint}: no 10 s sleep.
 */
class AdmissionTimeoutTest {
    private static IsolatedFunction slow;
    private final AdmissionFixtures fx = new AdmissionFixtures(HttpFunction.shared());

    @BeforeAll
    static void start() {
        slow = new IsolatedFunction(Map.of("tilemud.admission.timeout-millis", 300));
    }

    @AfterAll
    static void stop() {
        SlowCheckpoint.release();
        slow.close();
    }

    private IsolatedFunction.Response connect(Player p, String instance) {
        return slow.send(HttpEvents.request("POST", "/instances/" + instance + "/connect").bearer(p.token())
                .json("{\"characterId\":\"" + p.characterId() + "\",\"clientBuild\":\"" + AdmissionFixtures.BUILD + "\"}"));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void connect_decisionLandsAfterDeadline_answersTimeoutAndReleasesLateSlot() throws Exception {
        // GIVEN a decision step that is stuck
        String instance = fx.instance(SlowCheckpoint.PREFIX, 1, InstanceState.ACCEPTING);
        Player p = fx.player();
        SlowCheckpoint.hold();
        // WHEN the attempt runs past its 300 ms deadline
        long started = System.nanoTime();
        IsolatedFunction.Response r = connect(p, instance);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        // THEN a deterministic timeout outcome, on time
        assertEquals(200, r.status());
        assertEquals("{\"outcome\":\"timeout\",\"reason\":\"TIMEOUT\"}", r.json().toString());
        assertTrue(tookMillis < 2_000, "answered after " + tookMillis + " ms");
        // WHEN the stuck step finally goes on and the script admits
        SlowCheckpoint.release();
        // THEN the late admission is rolled back: the script ran (it stored the capacity) and no slot is held
        await(() -> fx.redis().hexists(AdmissionKeys.stats(instance), "capacity")
                && !fx.redis().hexists(AdmissionKeys.CHARACTER_LOCKS, p.characterId().toString()));
        assertEquals(0, fx.slots(instance));
        assertEquals(0L, fx.redis().hlen(AdmissionKeys.sessions(instance)));
    }

    @Test
    void connect_lateQueuedDecision_isDequeued() throws Exception {
        // GIVEN a full instance and a stuck decision step
        String instance = fx.instance(SlowCheckpoint.PREFIX, 1, InstanceState.ACCEPTING);
        Player holder = fx.player();
        Player p = fx.player();
        assertEquals("success", fx.connect(holder, instance).json().get("outcome").asText());
        SlowCheckpoint.hold();
        // WHEN
        assertEquals("timeout", connect(p, instance).json().get("outcome").asText());
        SlowCheckpoint.release();
        // THEN the late queue entry is removed again, the holder keeps the slot
        await(() -> fx.redis().exists(AdmissionKeys.queueSeq(instance)) == 1 && fx.depth(instance) == 0);
        assertEquals(1, fx.slots(instance));
        assertFalse(fx.redis().hexists(AdmissionKeys.queued(instance), p.characterId().toString()));
    }
}
