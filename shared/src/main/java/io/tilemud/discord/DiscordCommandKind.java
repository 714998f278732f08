package io.tilemud.discord;

/**
 * What a row of {@code discord_outbox} asks the relay to do. Payload fields per kind are listed; the relay resolves
 * the room's role and channel ids when it runs the command, since the create may still be pending when later
 * commands are queued.
 */
public enum DiscordCommandKind {
    /** Create the room's role, then its private voice channel (type 2, user_limit 4, overwrites). No payload. */
    CREATE_ROOM,
    /** {@code discordUserId}: give the member the room's role. */
    ADD_MEMBER_ROLE,
    /** {@code discordUserId}: take the room's role away. */
    REMOVE_MEMBER_ROLE,
    /** Delete the room's channel and role. No payload. */
    DELETE_ROOM,
    /** {@code author, text}: post a line written in the game to the room's channel (the row id is the nonce). */
    SEND_MESSAGE,
    /** {@code messageId, emoji}: react to a message of the room's channel. */
    ADD_REACTION,
    /** Show "typing…" in the room's channel. No payload. */
    TYPING
}
