package io.tilemud.session;

import io.micronaut.core.annotation.Nullable;

import java.util.Optional;

/**
 * Port over the admission state of sessions (Redis in production, {@link RedisSessionStore}). Every method is one
 * atomic step that also applies lazy expiry and promotes queue heads into freed slots (ADM-16, ADM-18).
 *
 * <p>Promotion uses the capacity the last admission or janitor run stored (they read it from PostgreSQL), so the
 * realtime layer needs no database read for a transition.
 */
public interface SessionStore {

    /** The live session, or empty when unknown or expired. Throws {@link CacheUnavailableException}. */
    Optional<Session> find(String sessionId);

    /**
     * pending → active: the WebSocket connected ($connect).
     *
     * @param connectionId the socket that now carries the session (null: not tracked)
     */
    SessionTransition activate(String sessionId, @Nullable String connectionId);

    default SessionTransition activate(String sessionId) {
        return activate(sessionId, null);
    }

    /**
     * active → grace: unexpected disconnect; slot kept for {@code graceSeconds}.
     *
     * @param connectionId the socket that closed: if the session has moved to another socket since (a reconnect took
     *                     it over), nothing changes; null moves the session whichever socket it is on
     */
    SessionTransition enterGrace(String sessionId, @Nullable String connectionId);

    default SessionTransition enterGrace(String sessionId) {
        return enterGrace(sessionId, null);
    }

    /**
     * grace → active when {@code reconnectionToken} matches; the token is spent and a new one issued. With a
     * {@code connectionId}, an <em>active</em> session is taken over the same way (its old socket's {@code $disconnect}
     * may not have arrived yet): {@link SessionTransition.Done#previousConnectionId()} names the socket it was on.
     */
    SessionTransition reconnect(String sessionId, String reconnectionToken, @Nullable String connectionId);

    default SessionTransition reconnect(String sessionId, String reconnectionToken) {
        return reconnect(sessionId, reconnectionToken, null);
    }

    /**
     * A fresh reconnection token for an active session, replacing the one it had (the server keeps only a token's
     * digest, so handing one out means minting one). Also how a session restored after a cache loss gets a token.
     * Empty when the session is gone or not active.
     */
    Optional<Session> rotateToken(String sessionId);

    /**
     * Frees the slot and promotes the queue head in the same step.
     *
     * @param ownerUserId only release when the session belongs to this user; null releases whatever the owner
     */
    ReleaseResult release(String sessionId, String reason, java.util.UUID ownerUserId);

    /** The instance a session belongs to, or empty. */
    Optional<String> instanceOf(String sessionId);
}
