package io.tilemud.rooms;

import java.util.UUID;

/**
 * Seam for the Discord outbox (DSC-01): what a room change means for the room's Discord side. Every method is called
 * by {@link JdbcRoomRepository} inside the room change's own transaction, so a command is queued exactly when the
 * change commits and never for a refused one. Implementations write rows, they never call Discord.
 * {@link NoVoiceCommands} (no bot token, DSC-04) does nothing.
 */
public interface VoiceCommands {

    /**
     * True while the Discord queue is at its cap: new room work (create, join, chat) is refused with
     * {@code DISCORD_QUEUE_FULL} before anything changes. Leaving and closing are never refused (their cleanup
     * commands are queued anyway, so no channel outlives its room).
     */
    boolean full();

    /** A new room: its role and private voice channel, and the owner's role when it is linked. */
    void roomCreated(UUID roomId, UUID ownerId);

    /** The member gets the room's role when its Discord account is linked. */
    void memberJoined(UUID roomId, UUID userId);

    /** The member loses the room's role (room still open). */
    void memberLeft(UUID roomId, UUID userId);

    /** The room is gone (last member out, owner close, idle close): delete its channel and role. */
    void roomDeleted(UUID roomId);

    /** A line written in the game goes to the room's Discord channel. */
    void chat(UUID roomId, String authorName, String text);

    /** False without Discord: {@code room.react} and {@code room.typing} have nowhere to go. */
    boolean enabled();

    /**
     * DSC-03, in a transaction of its own (no room change goes with it): queue a reaction or "typing…".
     *
     * @param messageId null for typing
     * @return false when the queue is full (nothing queued)
     */
    boolean gesture(UUID roomId, String messageId, String emoji);
}
