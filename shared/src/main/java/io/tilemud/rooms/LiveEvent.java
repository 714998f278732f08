package io.tilemud.rooms;

import java.util.List;
import java.util.Objects;

/**
 * A room event on its way out live ({@link RoomRepository#drain}), with the game WebSockets its recipients are
 * connected with: read together with the event, so delivery needs no lookup of its own.
 *
 * @param connectionIds one per connected recipient; recipients without a socket get it on {@code room.resume}
 */
public record LiveEvent(RoomEvent event, List<String> connectionIds) {
    public LiveEvent {
        Objects.requireNonNull(event, "event");
        connectionIds = List.copyOf(connectionIds);
    }
}
