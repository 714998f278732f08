package io.tilemud.character;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

/** A character owned by one user; its position is authoritative here (PostgreSQL), never in the cache. */
@MappedEntity("characters")
public record PlayerCharacter(@Id UUID id, UUID userId, String name, CharacterStatus status, int x, int y,
                              Instant createdAt) {
}
