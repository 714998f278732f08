package io.tilemud.admission;

import io.micronaut.core.annotation.Nullable;
import io.tilemud.character.CharacterStatus;
import io.tilemud.instance.InstanceState;

import java.util.Objects;
import java.util.UUID;

/**
 * What an admission decides on, read from PostgreSQL in one statement ({@link JdbcAdmissionFacts}): the caller's user
 * row, the requested character (if it exists at all) and the requested instance (if it exists). One snapshot, so the
 * three can never disagree with each other, and nothing is cached: a suspension, a deleted character or an instance
 * put into maintenance is seen by the very next attempt.
 *
 * @param userId            the caller's user id
 * @param activeCharacterId the character the user selected, or null
 * @param character         the requested character, or null when no character has that id
 * @param instance          the requested instance, or null when no instance has that id
 */
public record AdmissionFacts(UUID userId, @Nullable UUID activeCharacterId, @Nullable Character character,
                             @Nullable Instance instance) {
    public AdmissionFacts {
        Objects.requireNonNull(userId, "userId");
    }

    /** The requested character: whose it is and whether it may play. */
    public record Character(UUID id, UUID ownerId, CharacterStatus status) {
        public Character {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(ownerId, "ownerId");
            Objects.requireNonNull(status, "status");
        }
    }

    /** The requested instance: what the decision needs of its row. */
    public record Instance(String id, int capacity, String build, InstanceState state) {
        public Instance {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(build, "build");
            Objects.requireNonNull(state, "state");
        }
    }
}
