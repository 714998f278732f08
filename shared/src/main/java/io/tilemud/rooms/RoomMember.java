package io.tilemud.rooms;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A member of a room: the user and the character it joined with (its active character then). */
@Serdeable
public record RoomMember(UUID userId, UUID characterId, String name, Instant joinedAt) {
    public RoomMember {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(characterId, "characterId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(joinedAt, "joinedAt");
    }
}
