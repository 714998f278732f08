package io.tilemud.connection;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Objects;

/**
 * A live WebSocket connection bound to an admission session.
 *
 * @param connectedAt   when {@code $connect} succeeded
 * @param lastActiveAt  the last client frame, at most one touch interval old (RT-09)
 * @param graceSince    when the session had entered grace, if this connection reconnected it (RT-06)
 * @param lastSeq       the last acknowledged seq the client gave at {@code $connect}, if it gave one (RT-06)
 * @param degradedSince since when the client knows the cache is down, null while it has not been told (RT-07)
 * @param expiresAt     when DynamoDB may drop the item (TTL) if no {@code $disconnect} ever removes it
 */
public record ConnectionRecord(String connectionId, String sessionId, String userId, String characterId,
                               String instanceId, String build, Instant connectedAt, Instant lastActiveAt,
                               @Nullable Instant graceSince, @Nullable Long lastSeq, @Nullable Instant degradedSince,
                               Instant expiresAt) {

    public ConnectionRecord {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(characterId, "characterId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(connectedAt, "connectedAt");
        Objects.requireNonNull(lastActiveAt, "lastActiveAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** A fresh connection: active now, no resume point, not told about any outage. */
    public static ConnectionRecord connected(String connectionId, String sessionId, String userId, String characterId,
                                             String instanceId, String build, Instant now, Instant expiresAt) {
        return new ConnectionRecord(connectionId, sessionId, userId, characterId, instanceId, build, now, now,
                null, null, null, expiresAt);
    }

    public ConnectionRecord withLastActiveAt(Instant at) {
        return new ConnectionRecord(connectionId, sessionId, userId, characterId, instanceId, build, connectedAt, at,
                graceSince, lastSeq, degradedSince, expiresAt);
    }

    public ConnectionRecord withDegradedSince(@Nullable Instant since) {
        return new ConnectionRecord(connectionId, sessionId, userId, characterId, instanceId, build, connectedAt,
                lastActiveAt, graceSince, lastSeq, since, expiresAt);
    }

    public ConnectionRecord withResume(@Nullable Instant since, @Nullable Long seq) {
        return new ConnectionRecord(connectionId, sessionId, userId, characterId, instanceId, build, connectedAt,
                lastActiveAt, since, seq, degradedSince, expiresAt);
    }
}
