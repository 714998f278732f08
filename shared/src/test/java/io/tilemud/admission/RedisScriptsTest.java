package io.tilemud.admission;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tilemud.embedded.testing.SharedTestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Script loading (SCRIPT LOAD once, EVALSHA, NOSCRIPT fallback) and the failure-lock script, on a real Redis. */
class RedisScriptsTest {
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private final RedisScripts scripts = new RedisScripts();

    @BeforeAll
    static void connect() {
        client = RedisClient.create(SharedTestInfra.get().servers().redisUrl());
        connection = client.connect();
    }

    @AfterAll
    static void close() {
        connection.close();
        client.shutdown();
    }

    private long rateLimit(RedisCommands<String, String> redis, String op, String subject, long now) {
        Long remaining = scripts.run(redis, RedisScripts.RATE_LIMIT, ScriptOutputType.INTEGER,
                List.of(AdmissionKeys.rateLimitFailures(subject), AdmissionKeys.rateLimitLock(subject)),
                List.of(op, Long.toString(now), "60000", "5", "60000", UUID.randomUUID().toString()));
        return remaining;
    }

    @Test
    void run_scriptCacheFlushed_reloadsAndAnswers() {
        // GIVEN a script already loaded, then Redis forgets all scripts (restart, failover)
        RedisCommands<String, String> redis = connection.sync();
        String subject = "s-" + UUID.randomUUID();
        assertEquals(0, rateLimit(redis, "check", subject, 1_000));
        redis.scriptFlush();
        // WHEN / THEN the NOSCRIPT answer is handled by loading it again
        assertEquals(0, rateLimit(redis, "check", subject, 1_000));
    }

    @Test
    void rateLimit_fifthFailureInWindow_locksForLockTime() {
        // GIVEN four failures within the window
        RedisCommands<String, String> redis = connection.sync();
        String subject = "s-" + UUID.randomUUID();
        for (int i = 0; i < 4; i++) {
            assertEquals(0, rateLimit(redis, "fail", subject, 10_000 + i * 1_000));
        }
        // WHEN the fifth comes 50 s after the first / THEN locked for 60 s from now
        assertEquals(60_000, rateLimit(redis, "fail", subject, 60_000));
        assertEquals(30_000, rateLimit(redis, "check", subject, 90_000));
        // AND unlocked afterwards, with a fresh window
        assertEquals(0, rateLimit(redis, "check", subject, 120_001));
        assertEquals(0, rateLimit(redis, "fail", subject, 120_002));
    }

    @Test
    void rateLimit_oldFailuresLeaveTheWindow_neverLock() {
        RedisCommands<String, String> redis = connection.sync();
        String subject = "s-" + UUID.randomUUID();
        for (int i = 0; i < 10; i++) {
            assertEquals(0, rateLimit(redis, "fail", subject, 1_000 + i * 15_001L));
        }
    }

    @Test
    void source_admissionScripts_startWithTheSharedPrelude() {
        for (String name : List.of(RedisScripts.ADMIT, RedisScripts.RELEASE, RedisScripts.SESSION, RedisScripts.STATUS)) {
            String source = scripts.source(name);
            assertTrue(source.startsWith("-- common.lua"), name);
            assertTrue(source.contains("-- KEYS") && source.contains("-- ARGV") && source.contains("-- Returns"), name);
        }
    }
}
