package io.tilemud.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The process's single Redis connection, opened lazily and reopened after an outage.
 *
 * <p>Why not inject Micronaut's {@code StatefulRedisConnection} bean: it connects eagerly and fails bean creation
 * when Redis is down, while the product must keep answering (SERVICE_DEGRADED, RT-07). Commands are rejected at once
 * while disconnected instead of queueing, so a dead cache costs a request microseconds, not a timeout.
 * Thread-safe; Lettuce connections are multiplexed.
 */
@Singleton
public class CacheConnection implements ApplicationEventListener<StartupEvent> {
    /** After a failed connect, callers fail fast for this long instead of each paying a connect timeout. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    private final RedisClient client;
    private final Clock clock;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile Instant nextAttempt = Instant.MIN;

    public CacheConnection(RedisClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).build())
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .build());
    }

    /**
     * Connects during start-up (the Lambda init phase) so the first request does not pay for Netty's bootstrap.
     * A cache that is down at start is not fatal: requests retry the connection later.
     */
    @Override
    public void onApplicationEvent(StartupEvent event) {
        current();
    }

    /** The open connection, or empty while Redis cannot be reached. */
    public Optional<StatefulRedisConnection<String, String>> current() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            return Optional.of(open);
        }
        return connect();
    }

    private synchronized Optional<StatefulRedisConnection<String, String>> connect() {
        if (connection != null) {
            return Optional.of(connection);
        }
        if (clock.instant().isBefore(nextAttempt)) {
            return Optional.empty();
        }
        try {
            connection = client.connect();
            return Optional.of(connection);
        } catch (RuntimeException unreachable) {
            nextAttempt = clock.instant().plus(RETRY_AFTER_FAILURE);
            return Optional.empty();
        }
    }

    @PreDestroy
    void close() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            open.close();
        }
    }
}
