package io.tilemud.rooms;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A room of up to four players (ROOM-01), beside the instances: members may play on any instance.
 *
 * @param members   longest-standing first; the first is who inherits ownership
 * @param lastSeq   the roomSeq of the newest room event
 * @param closingAt when members were warned the room closes (ROOM-04), null while it is open
 */
public record Room(UUID id, UUID ownerId, List<RoomMember> members, long lastSeq, Instant lastActivityAt,
                   @Nullable Instant closingAt) {
    public Room {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ownerId, "ownerId");
        members = List.copyOf(members);
        Objects.requireNonNull(lastActivityAt, "lastActivityAt");
    }

    public boolean hasMember(UUID userId) {
        return members.stream().anyMatch(m -> m.userId().equals(userId));
    }
}
