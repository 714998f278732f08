package io.tilemud.rooms;

import io.micronaut.core.annotation.Nullable;
import io.tilemud.error.ErrorCode;

import java.util.Objects;

/** What a room request came to, for the controller to map to a response. A normal "no" is a value, not an exception. */
public sealed interface RoomOutcome {
    /** @param invite a fresh invite when the request makes one (create, invite), else null */
    record Shown(Room room, @Nullable Invite invite) implements RoomOutcome {
        public Shown {
            Objects.requireNonNull(room, "room");
        }
    }

    /** Left or closed: nothing left to show the caller. */
    record Gone() implements RoomOutcome {
    }

    record Refused(ErrorCode code, String message) implements RoomOutcome {
        public Refused {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
