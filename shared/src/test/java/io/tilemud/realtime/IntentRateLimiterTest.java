package io.tilemud.realtime;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.tilemud.testing.OnSharedInfra;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RT-11 token buckets on the real Redis, with time given explicitly. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntentRateLimiterTest implements OnSharedInfra {
    private static final long T0 = 1_800_000_000_000L;

    @Inject
    IntentRateLimiter limiter;

    @Test
    void allow_twentyMovesInOneInstant_theTwentyFirstRefused() {
        String session = "rl-" + UUID.randomUUID();
        for (int i = 0; i < 20; i++) {
            assertTrue(limiter.allow(session, "move", 20, T0), "move " + (i + 1));
        }
        assertFalse(limiter.allow(session, "move", 20, T0));
    }

    @Test
    void allow_emptyBucket_refillsAtTheRate() {
        String session = "rl-" + UUID.randomUUID();
        for (int i = 0; i < 20; i++) {
            limiter.allow(session, "move", 20, T0);
        }
        // 20 per second: one token every 50 ms
        assertFalse(limiter.allow(session, "move", 20, T0 + 40));
        assertTrue(limiter.allow(session, "move", 20, T0 + 60));
        assertFalse(limiter.allow(session, "move", 20, T0 + 60));
    }

    @Test
    void allow_chatAndMoveBuckets_independentPerKindAndSession() {
        String session = "rl-" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            assertTrue(limiter.allow(session, "chat", 5, T0));
        }
        assertFalse(limiter.allow(session, "chat", 5, T0));
        assertTrue(limiter.allow(session, "move", 20, T0));
        assertTrue(limiter.allow("rl-" + UUID.randomUUID(), "chat", 5, T0));
    }
}
