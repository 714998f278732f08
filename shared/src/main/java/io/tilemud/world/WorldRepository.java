package io.tilemud.world;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.List;

/** The impassable tiles of instances. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface WorldRepository extends GenericRepository<Wall, WallId> {

    // x, y aliased to the embedded id's column names (id_x, id_y; instance_id is mapped explicitly): bare x, y failed
    // on every instance with walls.
    @Query("SELECT instance_id, x AS id_x, y AS id_y FROM world_walls WHERE instance_id = :instanceId ORDER BY y, x")
    List<Wall> findWalls(String instanceId);
}
