package io.tilemud.rooms;

import java.util.Optional;
import java.util.UUID;

/**
 * Seam for the Discord issue (DSC-01): a room's private voice channel. Rooms ask it for the link to show members and
 * tell it when a room is gone, so its channel and role can be deleted (ROOM-04). Until Discord is wired in, the
 * {@link NoVoiceLinks} default has none.
 */
public interface VoiceLinks {

    /** The room's voice channel invite URL, if it has one. */
    Optional<String> linkOf(UUID roomId);

    /** The room was deleted; its channel and role should go too. Must not throw: rooms never wait for Discord. */
    void roomDeleted(UUID roomId);
}
