package io.tilemud.session;

import io.lettuce.core.RedisException;
import io.tilemud.admission.AdmissionKeys;
import io.tilemud.cache.CacheConnection;
import jakarta.inject.Singleton;

import java.util.UUID;

/**
 * Write-through of the user's selected active character to Redis ({@link AdmissionKeys#ACTIVE_CHARACTER}), which
 * the admission script re-checks atomically (ADM-14). PostgreSQL stays the source of truth: when Redis is down the
 * entry is dropped by the next admission seeding it from the database read. Thread-safe.
 */
@Singleton
public class ActiveCharacterCache {
    private final CacheConnection cache;

    public ActiveCharacterCache(CacheConnection cache) {
        this.cache = cache;
    }

    /** Records the new selection; a cache outage is tolerated (the admission path seeds the entry again). */
    public void selected(UUID userId, UUID characterId) {
        try {
            cache.call(redis -> redis.hset(AdmissionKeys.ACTIVE_CHARACTER, userId.toString(), characterId.toString()));
        } catch (RedisException e) {
            // see class comment
        }
    }
}
