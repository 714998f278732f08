package io.tilemud.character;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface CharacterRepository extends GenericRepository<PlayerCharacter, UUID> {

    PlayerCharacter save(PlayerCharacter character);

    Optional<PlayerCharacter> findById(UUID id);

    Optional<PlayerCharacter> findByIdAndUserId(UUID id, UUID userId);

    List<PlayerCharacter> findByUserIdOrderByCreatedAt(UUID userId);

    List<PlayerCharacter> findByIdIn(java.util.Collection<UUID> ids);

    boolean existsByUserIdAndNameIlike(UUID userId, String name);

    void updateStatus(@io.micronaut.data.annotation.Id UUID id, CharacterStatus status);
}
