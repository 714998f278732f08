package io.tilemud.functions.admission;

import io.tilemud.functions.admission.AdmissionFixtures.Player;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.instance.InstanceState;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.tilemud.functions.admission.AdmissionContractTest.assertBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** ADM-12: 5 failures in a rolling 60 s lock the user for 60 s; checked before anything else. */
class RateLimitTest {
    private final HttpFunction api = HttpFunction.shared();
    private final AdmissionFixtures fx = new AdmissionFixtures(api);
    private final MutableClock clock = api.bean(MutableClock.class);

    private HttpResult fail(Player p, String instance) {
        return fx.connect(p, instance, p.characterId().toString(), "wrong-build", null, null);
    }

    @Test
    void connect_fiveFailuresWithin60s_locks429WithRemainingSecondsThenUnlocks() {
        // GIVEN five failed attempts within a minute
        Player p = fx.player();
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        for (int i = 0; i < 5; i++) {
            assertEquals("VERSION_MISMATCH", fail(p, instance).json().get("reason").asText());
        }
        // WHEN even a valid attempt follows 20 s later
        clock.advance(Duration.ofSeconds(20));
        HttpResult locked = fx.connect(p, instance);
        // THEN 429 with the remaining lock time, nothing admitted
        assertEquals(429, locked.status(), locked.body());
        assertEquals("40", locked.header("Retry-After"));
        assertBody("{\"outcome\":\"failed\",\"reason\":\"RATE_LIMITED\",\"retryAfterSeconds\":40}", locked);
        assertEquals(0, fx.slots(instance));
        // WHEN the lock is over
        clock.advance(Duration.ofSeconds(41));
        // THEN attempts are decided normally again
        assertEquals("success", fx.connect(p, instance).json().get("outcome").asText());
    }

    @Test
    void connect_failuresSpreadOverMoreThan60s_neverLock() {
        // GIVEN failures every 20 s: never 5 within any 60 s
        Player p = fx.player();
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        for (int i = 0; i < 8; i++) {
            assertEquals(200, fail(p, instance).status());
            clock.advance(Duration.ofSeconds(20));
        }
        // THEN still decided normally
        assertEquals("success", fx.connect(p, instance).json().get("outcome").asText());
    }

    @Test
    void connect_transientRefusals_doNotCount() {
        // GIVEN an instance in maintenance: retrying players are not locked out
        Player p = fx.player();
        String instance = fx.instance(2, InstanceState.MAINTENANCE);
        for (int i = 0; i < 7; i++) {
            assertEquals("MAINTENANCE", fx.connect(p, instance).json().get("reason").asText());
        }
    }

    @Test
    void connect_lockedUser_refusedBeforeAnyDatabaseRead() {
        // GIVEN a locked user whose character is even deleted from the selection path: no DB check reached
        Player p = fx.player();
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        for (int i = 0; i < 5; i++) {
            fail(p, instance);
        }
        // WHEN sending garbage that would otherwise be INVALID_INSTANCE
        HttpResult r = fx.connect(p, "bad.id", null, null, null, null);
        // THEN RATE_LIMITED: the lock is checked first
        assertEquals(429, r.status());
        assertEquals("RATE_LIMITED", r.json().get("reason").asText());
    }
}
