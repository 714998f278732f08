package io.tilemud.discord.gateway;

/**
 * The life cycle of the gateway link. {@code STOPPED_FATAL}, {@code STOPPED_EXHAUSTED} and {@code CLOSED} are final:
 * the client never reconnects from them.
 */
public enum GatewayState {
    /** No connection; a reconnect may be scheduled. */
    DISCONNECTED,
    /** The WebSocket is opening, or open and waiting for HELLO. */
    CONNECTING,
    /** IDENTIFY sent, waiting for READY. */
    IDENTIFYING,
    /** RESUME sent, waiting for the replayed dispatches and RESUMED. */
    RESUMING,
    /** READY or RESUMED received: dispatches flow. */
    READY,
    /** Discord closed with a code that says retrying cannot help (4004, 4010–4014). */
    STOPPED_FATAL,
    /** {@link GatewaySettings#maxReconnectAttempts()} reconnects in a row failed. */
    STOPPED_EXHAUSTED,
    /** {@link GatewayClient#close()} was called. */
    CLOSED;

    /** Whether the client has stopped for good. */
    public boolean isFinal() {
        return this == STOPPED_FATAL || this == STOPPED_EXHAUSTED || this == CLOSED;
    }
}
