package io.tilemud.user;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

/** A player account, known only by its OIDC subject. */
@MappedEntity("users")
public record User(@Id UUID id, String subject, @Nullable UUID activeCharacterId, Instant createdAt) {
}
