package io.tilemud.session;

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

    /** pending → active: the WebSocket connected ($connect). */
    SessionTransition activate(String sessionId);

    /** active → grace: unexpected disconnect; slot kept for {@code graceSeconds}. */
    SessionTransition enterGrace(String sessionId);

    /** grace → active when {@code reconnectionToken} matches; the token is spent and a new one issued. */
    SessionTransition reconnect(String sessionId, String reconnectionToken);

    /**
     * Frees the slot and promotes the queue head in the same step.
     *
     * @param ownerUserId only release when the session belongs to this user; null releases whatever the owner
     */
    ReleaseResult release(String sessionId, String reason, java.util.UUID ownerUserId);

    /** The instance a session belongs to, or empty. */
    Optional<String> instanceOf(String sessionId);
}
