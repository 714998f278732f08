package io.tilemud.instance;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface InstanceRepository extends GenericRepository<GameInstance, String> {

    Optional<GameInstance> findById(String id);

    List<GameInstance> findAll();

    /** Create or update in one statement, so two operators racing leave one consistent row. */
    @Query("""
            INSERT INTO instances (id, capacity, build, state, width, height, updated_at)
            VALUES (:id, :capacity, :build, :state, :width, :height, now())
            ON CONFLICT (id) DO UPDATE SET capacity = EXCLUDED.capacity, build = EXCLUDED.build,
                state = EXCLUDED.state, updated_at = now()""")
    void upsert(String id, int capacity, String build, String state, int width, int height);
}
