package io.tilemud.discord.relay;

import com.fasterxml.jackson.databind.JsonNode;
import io.tilemud.discord.DiscordCommandKind;

import java.util.Objects;
import java.util.UUID;

/**
 * One pending row of {@code discord_outbox}.
 *
 * @param attempts how often the relay started it before (more than 0 after a crash: look before creating again)
 */
public record Command(long id, UUID roomId, DiscordCommandKind kind, JsonNode payload, int attempts) {
    public Command {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(payload, "payload");
    }
}
