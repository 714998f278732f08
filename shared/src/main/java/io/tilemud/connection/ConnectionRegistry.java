package io.tilemud.connection;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where WebSocket connections are found by id, by session and by instance. Kept outside Redis on purpose: when the
 * cache is down the realtime layer can still reach its clients to tell them (RT-07).
 */
public interface ConnectionRegistry {

    void register(ConnectionRecord connection);

    Optional<ConnectionRecord> find(String connectionId);

    /** Records client activity (RT-09). A connection that is gone stays gone. */
    void touch(String connectionId, Instant at);

    /** Remembers that the client was told the cache is down ({@code since}), or that it was told it is back (null). */
    void markDegraded(String connectionId, @Nullable Instant since);

    /** The connection of a session, e.g. to kick a replaced one (ADM-09). */
    Optional<ConnectionRecord> findBySession(String sessionId);

    /** Every connection on an instance, for fan-out. Eventually consistent (a GSI). */
    List<ConnectionRecord> findByInstance(String instanceId);

    /** @return the connection as it was registered, or empty when it was not */
    Optional<ConnectionRecord> remove(String connectionId);
}
