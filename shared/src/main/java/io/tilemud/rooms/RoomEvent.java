package io.tilemud.rooms;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One entry of a room's append-only event log (ROOM-02).
 *
 * @param roomSeq    1, 2, 3… per room, without gaps: the order every member sees
 * @param type       {@code member.joined}, {@code member.left}, {@code chat.message}, {@code room.closing},
 *                   {@code room.deleted}, {@code voice.joined}, {@code voice.left}, {@code voice.status}
 * @param payload    the fields the frame carries besides {@code type, roomId, roomSeq, at}
 * @param recipients the members when it happened: who gets it live and who may read it again on resume
 * @param source     {@code game}, or the outside system it came from ({@link ExternalRoomEvents})
 */
public record RoomEvent(UUID roomId, long roomSeq, String type, Instant at, Map<String, Object> payload,
                        List<UUID> recipients, String source) {
    public static final String MEMBER_JOINED = "member.joined";
    public static final String MEMBER_LEFT = "member.left";
    public static final String CHAT_MESSAGE = "chat.message";
    public static final String ROOM_CLOSING = "room.closing";
    public static final String ROOM_DELETED = "room.deleted";
    public static final String VOICE_JOINED = "voice.joined";
    public static final String VOICE_LEFT = "voice.left";
    /** The room's voice channel became READY or UNAVAILABLE (the Discord relay). */
    public static final String VOICE_STATUS = "voice.status";
    public static final String SOURCE_GAME = "game";

    public RoomEvent {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        payload = Map.copyOf(payload);
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(source, "source");
        if (roomSeq < 1) {
            throw new IllegalArgumentException("roomSeq starts at 1");
        }
    }
}
