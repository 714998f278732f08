package io.tilemud.session;

import io.tilemud.user.UserService;
import jakarta.inject.Singleton;

/**
 * Session lifecycle for the HTTP leave route and the realtime handlers: {@code $connect} → {@link #activate},
 * unexpected {@code $disconnect} → {@link #disconnected}, reconnect with token → {@link #reconnect},
 * {@code intent.leave}/{@code DELETE /sessions/{id}} → {@link #leave}. Steps are logged (OPS-02) by the store and
 * the ledger, so callers using {@link SessionStore} directly log the same events. Thread-safe.
 */
@Singleton
public class SessionService {
    private final SessionStore store;
    private final UserService users;

    public SessionService(SessionStore store, UserService users) {
        this.store = store;
        this.users = users;
    }

    public SessionTransition activate(String sessionId) {
        return store.activate(sessionId);
    }

    /** Unexpected disconnect: the slot is kept for {@code graceSeconds} (ADM-18). */
    public SessionTransition disconnected(String sessionId) {
        return store.enterGrace(sessionId);
    }

    /** Reconnect within grace with the single-use token; the returned session carries the rotated token. */
    public SessionTransition reconnect(String sessionId, String reconnectionToken) {
        return store.reconnect(sessionId, reconnectionToken);
    }

    /** Graceful leave by the session's owner (ADM-19): the slot is freed and the queue head promoted at once. */
    public ReleaseResult leave(String subject, String sessionId) {
        return store.release(sessionId, "leave", users.idOf(subject));
    }

    /** Release without an owner check (inactivity, operator action), reason logged. */
    public ReleaseResult release(String sessionId, String reason) {
        return store.release(sessionId, reason, null);
    }
}
