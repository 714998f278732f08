package io.tilemud.realtime;

import io.lettuce.core.ScriptOutputType;
import io.tilemud.admission.RedisScripts;
import io.tilemud.cache.CacheConnection;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;

/**
 * RT-11 per-session intent limits: a token bucket per session and kind in Redis, shared by every Lambda container
 * that serves the session's messages. While the cache is down it lets intents through: gameplay must go on
 * (RT-07), and PostgreSQL still serializes each character's intents.
 */
@Singleton
public class IntentRateLimiter {
    private final CacheConnection cache;
    private final RedisScripts scripts;
    private final RealtimeSettings settings;
    private final Clock clock;

    public IntentRateLimiter(CacheConnection cache, RedisScripts scripts, RealtimeSettings settings, Clock clock) {
        this.cache = cache;
        this.scripts = scripts;
        this.settings = settings;
        this.clock = clock;
    }

    /** What the bucket said; {@link #CACHE_DOWN} lets the intent through and tells the caller why. */
    public enum Decision { ALLOWED, REFUSED, CACHE_DOWN }

    public Decision check(String sessionId, Intent intent) {
        return check(sessionId, intent.kind(), settings.perSecond(intent), clock.millis());
    }

    /**
     * A bucket of {@code perSecond} tokens (also the burst) for any key and kind, e.g. a user's room chat.
     *
     * @param nowMillis epoch ms: refill is computed from it, so tests control time
     */
    public Decision check(String sessionId, String kind, int perSecond, long nowMillis) {
        try {
            Long allowed = cache.call(redis -> scripts.run(redis, RedisScripts.INTENT_BUCKET, ScriptOutputType.INTEGER,
                    List.of("tm:rl:{" + sessionId + "}:" + kind),
                    List.of(Long.toString(nowMillis), Integer.toString(perSecond), Integer.toString(perSecond))));
            return allowed != null && allowed == 1L ? Decision.ALLOWED : Decision.REFUSED;
        } catch (RuntimeException cacheTrouble) {
            // Includes an open circuit breaker: a cache known down costs microseconds here, not a timeout.
            return Decision.CACHE_DOWN;
        }
    }

    boolean allow(String sessionId, String kind, int perSecond, long nowMillis) {
        return check(sessionId, kind, perSecond, nowMillis) != Decision.REFUSED;
    }
}
