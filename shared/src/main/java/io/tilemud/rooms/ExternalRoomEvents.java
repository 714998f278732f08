package io.tilemud.rooms;

import java.util.Map;
import java.util.UUID;

/**
 * Seam for the Discord relay (DSC-02): an event about a room that happened outside the game — a member joined or
 * left the voice channel, a line was written in the Discord channel. It is appended to the room's log like any other
 * room event and delivered in roomSeq order ({@link RoomService} implements it).
 */
public interface ExternalRoomEvents {

    /**
     * @param type    {@link RoomEvent#VOICE_JOINED}, {@link RoomEvent#VOICE_LEFT}, {@link RoomEvent#VOICE_STATUS} or
     *                {@link RoomEvent#CHAT_MESSAGE}
     * @param source  the outside system, e.g. {@code discord}
     * @param payload the frame's fields besides {@code type, roomId, roomSeq, at}
     * @return the appended event's roomSeq, or empty when the room is gone (the event is dropped)
     */
    java.util.OptionalLong received(UUID roomId, String type, String source, Map<String, Object> payload);
}
