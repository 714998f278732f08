package io.tilemud.websocket.support;

import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Primary;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.tilemud.admission.LedgerRebuilder;
import io.tilemud.cache.CacheConnection;
import io.tilemud.connection.CachedConnectionRegistry;
import io.tilemud.connection.ConnectionCacheSettings;
import io.tilemud.connection.ConnectionRecord;
import io.tilemud.connection.DynamoConnectionRegistry;
import jakarta.inject.Singleton;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Fault injection at the worst moment for the single-session rule: the cache is lost (emptied, scripts too) after
 * {@code $connect} activated the session and just before its connection reaches the durable registry, and another
 * request rebuilds the ledger right then — the one window in which a rebuild misses a playing session. Armed per
 * test with {@link #arm()}; the real registry and the real rebuilder do the work.
 */
@Primary
@Singleton
@Replaces(CachedConnectionRegistry.class)
@Requires(property = "tilemud.test.cache-lost-on-register", value = "true")
public class CacheLostOnRegister extends CachedConnectionRegistry {
    private final CacheConnection cache;
    private final BeanProvider<LedgerRebuilder> rebuilder;
    private final AtomicBoolean armed = new AtomicBoolean();

    public CacheLostOnRegister(DynamoConnectionRegistry store, ConnectionCacheSettings settings, CacheConnection cache,
                               BeanProvider<LedgerRebuilder> rebuilder) {
        super(store, settings);
        this.cache = cache;
        this.rebuilder = rebuilder;
    }

    public void arm() {
        armed.set(true);
    }

    @Override
    public void register(ConnectionRecord connection) {
        if (armed.compareAndSet(true, false)) {
            RedisCommands<String, String> redis = cache.current().orElseThrow().sync();
            redis.flushall();
            redis.scriptFlush();
            if (!rebuilder.get().ensure()) {
                throw new IllegalStateException("the rebuild the fault needs did not run");
            }
        }
        super.register(connection);
    }
}
