package io.tilemud.user;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tilemud.contract.MetricNames;
import io.tilemud.ops.metrics.CacheMetrics;
import jakarta.inject.Singleton;

import java.util.UUID;

/** Users are created on their first authenticated call (ADM-22). */
@Singleton
public class UserService {
    private final UserRepository users;
    /**
     * Subject → user id, per container. The id of a subject never changes once its row exists (users are never
     * deleted or re-keyed), so a remembered id cannot be stale; the paths that need only the id (a leave, a queue
     * poll, {@code $connect}) skip a PostgreSQL round trip. What can change (the active character) is never cached.
     */
    private final Cache<String, UUID> ids;

    public UserService(UserRepository users, CacheMetrics metrics) {
        this.users = users;
        this.ids = metrics.watch(MetricNames.CACHE_USER_IDS,
                Caffeine.newBuilder().maximumSize(100_000).recordStats().build());
    }

    /** The user behind an authenticated subject, read fresh, created if this is its first call. */
    public User ensureUser(String subject) {
        User user = users.findBySubject(subject).orElseGet(() -> {
            users.insertIfAbsent(UUID.randomUUID(), subject);
            return users.findBySubject(subject).orElseThrow();
        });
        ids.put(subject, user.id());
        return user;
    }

    /** An id read with the subject elsewhere (the admission facts): the leave that follows need not read it again. */
    public void remember(String subject, UUID id) {
        ids.put(subject, id);
    }

    /** The id of the user behind {@code subject}, created if this is its first call; from memory after the first. */
    public UUID idOf(String subject) {
        UUID id = ids.getIfPresent(subject);
        return id != null ? id : ensureUser(subject).id();
    }
}
