package io.tilemud.connection;

import java.time.Instant;
import java.util.Objects;

/**
 * A live WebSocket connection bound to an admission session.
 *
 * @param connectedAt when {@code $connect} succeeded
 * @param expiresAt   when DynamoDB may drop the item (TTL) if no {@code $disconnect} ever removes it
 */
public record ConnectionRecord(String connectionId, String sessionId, String userId, String characterId, String instanceId,
                               String build,
                               Instant connectedAt, Instant expiresAt) {

    public ConnectionRecord {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(characterId, "characterId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(build, "build");
        Objects.requireNonNull(connectedAt, "connectedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
