package io.tilemud.session;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An admitted session as stored in Redis.
 *
 * @param reconnectionToken single-use secret for reconnecting within grace; never log it
 * @param expiresAt         when a pending or grace session loses its slot; null while active
 */
public record Session(String sessionId, UUID characterId, UUID userId, String instanceId, SessionState state,
                      String reconnectionToken, @Nullable Instant expiresAt) {
    public Session {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(characterId, "characterId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(state, "state");
    }

    /** When the grace period ends, or null when the session is not in grace. */
    @Nullable
    public Instant graceExpiresAt() {
        return state == SessionState.GRACE ? expiresAt : null;
    }

    @Override
    public String toString() {
        // The token is a credential: keep it out of any accidental log line.
        return "Session[" + sessionId + ", " + state + ", instance=" + instanceId + "]";
    }
}
