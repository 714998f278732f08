package io.tilemud.connection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micronaut.context.annotation.Primary;
import io.micronaut.core.annotation.Nullable;
import io.tilemud.contract.MetricNames;
import io.tilemud.ops.metrics.CacheMetrics;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The registry as every intent reads it: a connection's binding once per container and an instance's members once
 * per {@link ConnectionCacheSettings#ttl()}, instead of on every frame (a GetItem and a Query, ~4 and ~7 ms each). Writes made here update or drop the cached copies; writes made by other containers (a {@code $connect}
 * elsewhere) show within the TTL, and a resume covers that window (RT-06).
 */
@Primary
@Singleton
public class CachedConnectionRegistry implements ConnectionRegistry {
    private final DynamoConnectionRegistry store;
    private final Cache<String, ConnectionRecord> byId;
    private final Cache<String, List<ConnectionRecord>> byInstance;

    public CachedConnectionRegistry(DynamoConnectionRegistry store, ConnectionCacheSettings settings,
                                    CacheMetrics metrics) {
        this.store = store;
        // A connection's binding never changes and its mutable fields are written through here; another container
        // can only remove it, and a removed connection sends no more frames. So it may stay while it is in use.
        this.byId = metrics.watch(MetricNames.CACHE_CONNECTIONS, Caffeine.newBuilder()
                .expireAfterAccess(settings.bindingTtl()).maximumSize(100_000).recordStats().build());
        this.byInstance = metrics.watch(MetricNames.CACHE_INSTANCE_MEMBERS, Caffeine.newBuilder()
                .expireAfterWrite(settings.ttl()).maximumSize(10_000).recordStats().build());
    }

    @Override
    public void register(ConnectionRecord connection) {
        store.register(connection);
        byId.put(connection.connectionId(), connection);
        byInstance.invalidate(connection.instanceId());
    }

    @Override
    public Optional<ConnectionRecord> find(String connectionId) {
        // Misses are not cached: only a registered connection is worth remembering.
        return Optional.ofNullable(byId.get(connectionId, id -> store.find(id).orElse(null)));
    }

    @Override
    public void touch(String connectionId, Instant at) {
        store.touch(connectionId, at);
        byId.asMap().computeIfPresent(connectionId, (id, c) -> c.withLastActiveAt(at));
    }

    @Override
    public void markDegraded(String connectionId, @Nullable Instant since) {
        store.markDegraded(connectionId, since);
        byId.asMap().computeIfPresent(connectionId, (id, c) -> c.withDegradedSince(since));
    }

    /** Not cached: it finds the socket of a session being replaced or ended, which must be the current one. */
    @Override
    public Optional<ConnectionRecord> findBySession(String sessionId) {
        return store.findBySession(sessionId);
    }

    @Override
    public List<ConnectionRecord> findByInstance(String instanceId) {
        // Members change with every $connect anywhere: this copy is at most ttl() old.
        return byInstance.get(instanceId, store::findByInstance);
    }

    @Override
    public Optional<ConnectionRecord> remove(String connectionId) {
        Optional<ConnectionRecord> removed = store.remove(connectionId);
        byId.invalidate(connectionId);
        removed.ifPresent(c -> byInstance.invalidate(c.instanceId()));
        return removed;
    }
}
