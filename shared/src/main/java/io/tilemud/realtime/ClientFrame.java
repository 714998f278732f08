package io.tilemud.realtime;

import io.tilemud.error.ErrorCode;

/** A client frame after parsing: an intent, a control message, or why it cannot be used. */
public sealed interface ClientFrame {
    record StateChange(Intent intent) implements ClientFrame {
    }

    record Leave() implements ClientFrame {
    }

    record Ping() implements ClientFrame {
    }

    /** RT-06: "I last saw {@code lastSeq} acknowledged" (null: as said at {@code $connect}). */
    record Resume(Long lastSeq) implements ClientFrame {
    }

    /** ROOM-02: a line for the player's room (≤ 256 characters). */
    record RoomChat(String text) implements ClientFrame {
    }

    /**
     * ROOM-02: "I last saw room event {@code roomSeq}" (null: send what the log still holds for me) "of room
     * {@code roomId}" (null: my current room). Naming the room lets a member who was away when it was deleted learn
     * so: it is in no room any more, but the log still holds that room's last events for it.
     */
    record RoomResume(Long roomSeq, java.util.UUID roomId) implements ClientFrame {
    }

    /** DSC-03: react with {@code emoji} to the Discord message {@code messageId} of the player's room channel. */
    record RoomReact(String messageId, String emoji) implements ClientFrame {
    }

    /** DSC-03: show "typing…" in the player's room channel. */
    record RoomTyping() implements ClientFrame {
    }

    record Invalid(ErrorCode code, String message, Long seq) implements ClientFrame {
    }
}
