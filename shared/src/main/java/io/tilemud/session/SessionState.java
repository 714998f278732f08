package io.tilemud.session;

/**
 * Lifecycle of an admitted session: {@code PENDING → ACTIVE → GRACE → ACTIVE | gone}. A replaced session is
 * {@code TERMINATING}: it has lost its slot and its socket is being told {@code event.session_replaced}.
 */
public enum SessionState {
    /** Admitted, WebSocket not connected yet; slot held for {@code pendingSeconds} (ADM-17). */
    PENDING,
    /** WebSocket connected; slot held until leave, inactivity or disconnect. */
    ACTIVE,
    /** Unexpected disconnect; slot held for {@code graceSeconds} (ADM-18). */
    GRACE,
    /** Replaced by a newer session of the same character (ADM-09); holds no slot. */
    TERMINATING;

    static SessionState of(String luaState) {
        return valueOf(luaState.toUpperCase(java.util.Locale.ROOT));
    }
}
