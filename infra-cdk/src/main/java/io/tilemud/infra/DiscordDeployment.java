package io.tilemud.infra;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Discord voice for rooms in AWS (DSC-01..04), read from CDK context. Off unless {@code discordEnabled=true}: then the
 * relay service exists and the database functions get the Discord secret, which switches their outbox writes on.
 *
 * @param guildId      the guild whose channels the rooms get ({@code discordGuildId}, required when enabled)
 * @param clientId     OAuth2 application id for the account link ({@code discordClientId})
 * @param redirectUri  OAuth2 redirect URI registered with Discord ({@code discordRedirectUri})
 * @param secretArn    an existing secret {@code {"botToken","clientSecret"}} ({@code discordSecretArn}); empty: the
 *                     stack creates an empty one for the operator to fill (output {@code DiscordSecretArn})
 * @param imageDir     Docker build context of the relay ({@code discordRelayImageDir}, default {@code discord-relay/})
 */
public record DiscordDeployment(String guildId, Optional<String> clientId, Optional<String> redirectUri,
                                Optional<String> secretArn, Path imageDir) {

    public DiscordDeployment {
        if (guildId == null || !guildId.matches("\\d{5,25}")) {
            throw new IllegalArgumentException("discordGuildId must be the guild's numeric id, got " + guildId);
        }
    }

    /** Empty unless {@code discordEnabled} is true. */
    public static Optional<DiscordDeployment> fromContext(Function<String, Object> context) {
        Object enabled = context.apply("discordEnabled");
        if (enabled == null || !Boolean.parseBoolean(enabled.toString().trim())) {
            return Optional.empty();
        }
        Path repoRoot = Path.of(text(context, "repoRoot").orElse(".."));
        return Optional.of(new DiscordDeployment(text(context, "discordGuildId").orElse(null),
                text(context, "discordClientId"), text(context, "discordRedirectUri"), text(context, "discordSecretArn"),
                text(context, "discordRelayImageDir").map(Path::of).orElse(repoRoot.resolve("discord-relay"))));
    }

    private static Optional<String> text(Function<String, Object> context, String key) {
        Object value = context.apply(key);
        return value == null || value.toString().isBlank() ? Optional.empty() : Optional.of(value.toString().trim());
    }
}
