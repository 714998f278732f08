package io.tilemud.discord.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One op 0 dispatch of the gateway.
 *
 * @param type the event name ({@code t}), e.g. {@code VOICE_STATE_UPDATE}, {@code MESSAGE_CREATE}, {@code READY}
 * @param seq  the session's sequence number ({@code s}); strictly increasing within one session, restarting at 1
 *             when the client has to identify a new session
 * @param data the event payload ({@code d}); a JSON null node when Discord sent none
 */
public record GatewayDispatch(String type, long seq, JsonNode data) {
    public GatewayDispatch {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be positive, got " + seq);
        }
    }
}
