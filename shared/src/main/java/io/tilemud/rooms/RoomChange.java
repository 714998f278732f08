package io.tilemud.rooms;

import io.micronaut.core.annotation.Nullable;
import io.tilemud.error.ErrorCode;

import java.util.List;
import java.util.Objects;

/** What a repository change did: committed with its room events, or refused with nothing changed. */
public sealed interface RoomChange {
    /** @param room the room after the change; null when it was deleted */
    record Changed(@Nullable Room room, List<RoomEvent> events) implements RoomChange {
        public Changed {
            events = List.copyOf(events);
        }
    }

    record Refused(ErrorCode code, String message) implements RoomChange {
        public Refused {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
