package io.tilemud.discord;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;

/**
 * Discord voice for rooms (DSC-01..04). Everything Discord is optional: without {@code botToken} no Discord bean
 * exists ({@link #ENABLED_PROPERTY}), no command is queued and rooms behave as without Discord.
 *
 * @param botToken          the bot's token; in AWS from the Secrets Manager secret named by
 *                          {@code TILEMUD_DISCORD_BOT_TOKEN_SECRET_ARN}. Never logged.
 * @param guildId           the one guild (server) whose channels and roles the rooms get
 * @param apiBaseUrl        REST base including the version, {@code https://discord.com/api/v10}; the fake locally
 * @param gatewayUrl        where the relay's gateway session starts ({@code wss://gateway.discord.gg/?v=10&encoding=json});
 *                          the fake gateway locally
 * @param clientId          OAuth2 application id (account link)
 * @param clientSecret      OAuth2 client secret (account link). Never logged.
 * @param redirectUri       the redirect URI registered with Discord, sent again with the code exchange
 * @param channelLinkBase   what a member opens to join voice: {@code {channelLinkBase}/{guildId}/{channelId}}
 * @param outboxMaxPending  cap of pending commands; beyond it room work is refused with {@code DISCORD_QUEUE_FULL}
 * @param messageMaxChars   a line from Discord is cut to this many characters before it reaches the game
 */
@ConfigurationProperties("tilemud.discord")
public record DiscordSettings(@Nullable String botToken,
                              @Nullable String guildId,
                              @Bindable(defaultValue = "https://discord.com/api/v10") @NotBlank String apiBaseUrl,
                              @Bindable(defaultValue = "wss://gateway.discord.gg/?v=10&encoding=json") @NotBlank String gatewayUrl,
                              @Nullable String clientId,
                              @Nullable String clientSecret,
                              @Nullable String redirectUri,
                              @Bindable(defaultValue = "https://discord.com/channels") @NotBlank String channelLinkBase,
                              @Bindable(defaultValue = "1000") @Positive int outboxMaxPending,
                              @Bindable(defaultValue = "256") @Positive int messageMaxChars) {

    /** Discord beans carry {@code @Requires(property = ENABLED_PROPERTY, pattern = ".+")}: a bot token switches it on. */
    public static final String ENABLED_PROPERTY = "tilemud.discord.bot-token";

    @Override
    public String toString() {
        // Records print every component; these two are secrets.
        return "DiscordSettings[guildId=" + guildId + ", apiBaseUrl=" + apiBaseUrl + ", clientId=" + clientId
                + ", botToken=" + (botToken == null ? "none" : "***") + "]";
    }
}
