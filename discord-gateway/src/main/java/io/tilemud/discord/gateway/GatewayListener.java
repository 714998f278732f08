package io.tilemud.discord.gateway;

/**
 * What the relay hears from the gateway. Every method is called by one thread at a time, in order, while the client
 * holds its state lock: return quickly (hand the work to a queue), since a slow listener delays heartbeats too.
 * A listener that throws is logged and the client carries on; the dispatch counts as delivered.
 */
public interface GatewayListener {

    /** Every dispatch exactly once and in sequence order, across resumes (replays of seen sequences are dropped). */
    void onDispatch(GatewayDispatch dispatch);

    default void onStateChange(GatewayState state) {
    }

    /** Discord closed with 4004 or 4010–4014: the client stopped; an operator has to fix the token or intents. */
    default void onFatalClose(int closeCode, String reason) {
    }

    /** {@code attempts} reconnects in a row failed: the client stopped; an operator alert. */
    default void onReconnectsExhausted(int attempts) {
    }
}
