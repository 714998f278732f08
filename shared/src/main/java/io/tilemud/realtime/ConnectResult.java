package io.tilemud.realtime;

import io.tilemud.error.ErrorCode;
import io.tilemud.session.Session;

/** What a WebSocket {@code $connect} led to (RT-01): bound to a session, or refused with no session change. */
public sealed interface ConnectResult {
    record Connected(Session session) implements ConnectResult {
    }

    record Refused(ErrorCode code, String message) implements ConnectResult {
    }
}
