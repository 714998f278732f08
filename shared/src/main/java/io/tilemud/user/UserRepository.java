package io.tilemud.user;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface UserRepository extends GenericRepository<User, UUID> {

    Optional<User> findBySubject(String subject);

    Optional<User> findById(UUID id);

    /** Concurrent first calls of one user race here; the unique subject makes the loser a no-op. */
    @Query("INSERT INTO users (id, subject, created_at) VALUES (:id, :subject, now()) ON CONFLICT (subject) DO NOTHING")
    void insertIfAbsent(UUID id, String subject);

    @Query("UPDATE users SET active_character_id = :characterId WHERE id = :userId")
    long updateActiveCharacter(UUID userId, UUID characterId);
}
