package io.tilemud.realtime;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.tilemud.connection.ConnectionRecord;
import io.tilemud.connection.ConnectionRegistry;
import io.tilemud.testing.OnSharedInfra;
import io.tilemud.testing.Sql;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Who is in view (RT-05) on real PostgreSQL and DynamoDB Local: the instance's other connections within the view
 * radius (8 tiles, Chebyshev), nearest first, the asking connection left out.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewTest implements OnSharedInfra {

    @Inject
    View view;
    @Inject
    ConnectionRegistry registry;
    @Inject
    DataSource contextual;

    private String instance;
    private UUID user;

    @BeforeEach
    void freshInstanceAndUser() throws SQLException {
        instance = "view-" + UUID.randomUUID().toString().substring(0, 8);
        user = UUID.randomUUID();
        Sql.exec(DelegatingDataSource.unwrapDataSource(contextual), "INSERT INTO users (id, subject) VALUES (?, ?)",
                user, "view-" + user);
    }

    /** A character at (x, y) with a registered connection per id given. */
    private void standing(int x, int y, String... connectionIds) throws SQLException {
        DataSource db = DelegatingDataSource.unwrapDataSource(contextual);
        UUID character = UUID.randomUUID();
        Sql.exec(db, "INSERT INTO characters (id, user_id, name, x, y) VALUES (?, ?, ?, ?, ?)",
                character, user, "V" + character.toString().substring(0, 8), x, y);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (String id : connectionIds) {
            registry.register(ConnectionRecord.connected(id, "s-" + id, user.toString(), character.toString(), instance,
                    "dev", now, now.plusSeconds(3600)));
        }
    }

    private List<String> seenBy(String connectionId, int x, int y) {
        return view.around(instance, x, y, connectionId).stream().map(s -> s.connection().connectionId()).toList();
    }

    @Test
    void around_othersWithinTheRadiusNearestFirst_theAskerAndThoseBeyondLeftOut() throws SQLException {
        // GIVEN a mover at (20,20); a character 1 tile away whose old socket is still registered beside its new one
        // (a reconnect in progress); others at 3 and at exactly 8 tiles; one at 9 tiles, one far away
        String tag = UUID.randomUUID().toString().substring(0, 6);
        standing(20, 20, "mover-" + tag);
        standing(21, 19, "old-" + tag, "new-" + tag);
        standing(20, 23, "three-" + tag);
        standing(28, 12, "edge-" + tag);
        standing(29, 20, "beyond-" + tag);
        standing(50, 50, "far-" + tag);

        // WHEN the mover asks
        List<String> seen = seenBy("mover-" + tag, 20, 20);

        // THEN both sockets of the near character, then 3, then the edge; not the mover, not 9 tiles, not far
        assertEquals(Set.of("old-" + tag, "new-" + tag), Set.copyOf(seen.subList(0, 2)));
        assertEquals(List.of("three-" + tag, "edge-" + tag), seen.subList(2, 4));
        assertEquals(4, seen.size(), seen.toString());
    }

    @Test
    void around_aloneInTheInstance_nobody() throws SQLException {
        String alone = "alone-" + UUID.randomUUID().toString().substring(0, 6);
        standing(5, 5, alone);

        assertEquals(List.of(), seenBy(alone, 5, 5));
    }
}
