package io.tilemud.discord.gateway;

/** Gateway intent bits (Discord API v10) the relay asks for; see Discord's "Gateway Intents" list. */
public final class GatewayIntents {
    public static final int GUILDS = 1;
    public static final int GUILD_VOICE_STATES = 1 << 7;
    public static final int GUILD_MESSAGES = 1 << 9;
    /** Privileged: must be enabled for the bot in the developer portal, or Discord closes with 4014. */
    public static final int MESSAGE_CONTENT = 1 << 15;

    /** What the relay needs: channels and roles, voice joins/leaves, and message text from room channels. */
    public static final int RELAY = GUILDS | GUILD_VOICE_STATES | GUILD_MESSAGES | MESSAGE_CONTENT;

    private GatewayIntents() {
    }
}
