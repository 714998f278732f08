package io.tilemud.discord.gateway;

import java.util.Set;

/**
 * Discord's gateway close codes, sorted by what the client does about them (Discord's "Gateway Close Event Codes").
 */
public final class GatewayCloseCodes {

    /** 4004 authentication failed, 4010 invalid shard, 4011 sharding required, 4012 invalid API version,
     *  4013 invalid intents, 4014 disallowed intents: reconnecting cannot help, an operator must act. */
    public static final Set<Integer> FATAL = Set.of(4004, 4010, 4011, 4012, 4013, 4014);

    /** 4007 invalid seq, 4009 session timed out: reconnect, but the session is gone, so identify anew. */
    public static final Set<Integer> SESSION_LOST = Set.of(4007, 4009);

    /**
     * What the client closes with when it wants to resume (zombie, op 7, op 9 d:true). Discord invalidates the session
     * on 1000 and 1001; any other code keeps it resumable. {@code java.net.http.WebSocket} only sends 1000 or
     * 3000–4999, so a private-use code stands where JDA would say "reconnect".
     */
    public static final int CLIENT_RECONNECT = 4900;

    /** Reported for a connection that ended without a close frame (RFC 6455 §7.1.5); never sent. */
    public static final int ABNORMAL = 1006;

    /** Normal closure: the client is shutting down and the session may be discarded. */
    public static final int NORMAL = 1000;

    private GatewayCloseCodes() {
    }

    /** Whether a close with this code stops the client for good. */
    public static boolean isFatal(int code) {
        return FATAL.contains(code);
    }
}
