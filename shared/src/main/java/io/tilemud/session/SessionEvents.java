package io.tilemud.session;

/**
 * Port to the realtime layer: tells an old session's WebSocket it was replaced (it then receives
 * {@code event.session_replaced} and is disconnected, ADM-09). Called after the replacement is committed in Redis,
 * so the old session no longer holds a slot when the socket is kicked.
 */
public interface SessionEvents {
    void sessionReplaced(String oldSessionId, String newSessionId);
}
