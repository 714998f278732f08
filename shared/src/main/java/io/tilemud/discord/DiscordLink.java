package io.tilemud.discord;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A player's linked Discord account: the Discord user id (a snowflake, as text) and the name shown for it. */
public record DiscordLink(UUID userId, String discordUserId, String discordName, Instant linkedAt) {
    public DiscordLink {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(discordUserId, "discordUserId");
        Objects.requireNonNull(discordName, "discordName");
        Objects.requireNonNull(linkedAt, "linkedAt");
    }
}
