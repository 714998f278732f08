package io.tilemud.discord.gateway;

/** Names of the gateway client's structured log events: the {@code event} field of each line. */
enum GatewayEvent {
    CONNECTING,
    CONNECT_FAILED,
    HELLO,
    HELLO_TIMEOUT,
    IDENTIFY_SENT,
    RESUME_SENT,
    SESSION_READY,
    SESSION_RESUMED,
    HEARTBEAT_REQUESTED,
    ZOMBIE_DETECTED,
    RECONNECT_REQUESTED,
    INVALID_SESSION,
    DISCONNECTED,
    RECONNECT_SCHEDULED,
    FATAL_CLOSE,
    RECONNECTS_EXHAUSTED,
    DUPLICATE_DISPATCH_DROPPED,
    SEQUENCE_GAP,
    MALFORMED_FRAME,
    LISTENER_FAILED,
    SEND_FAILED,
    CLOSED
}
