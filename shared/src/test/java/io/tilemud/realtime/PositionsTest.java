package io.tilemud.realtime;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.tilemud.testing.OnSharedInfra;
import io.tilemud.testing.Sql;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who stands in a view box (RT-05), on real PostgreSQL: only the asked ids, only inside the box, bounds included. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PositionsTest implements OnSharedInfra {

    @Inject
    Positions positions;
    @Inject
    DataSource contextual;

    private final List<UUID> characters = new ArrayList<>();

    @BeforeEach
    void threeCharacters() throws SQLException {
        // GIVEN characters at (1,1), (3,3) and (9,9)
        DataSource db = DelegatingDataSource.unwrapDataSource(contextual);
        characters.clear();
        UUID user = UUID.randomUUID();
        Sql.exec(db, "INSERT INTO users (id, subject) VALUES (?, ?)", user, "pos-" + user);
        for (int[] xy : new int[][]{{1, 1}, {3, 3}, {9, 9}}) {
            UUID id = UUID.randomUUID();
            Sql.exec(db, "INSERT INTO characters (id, user_id, name, x, y) VALUES (?, ?, ?, ?, ?)",
                    id, user, "P" + id.toString().substring(0, 8), xy[0], xy[1]);
            characters.add(id);
        }
    }

    @Test
    void within_box_onlyThoseInsideAndAsked() {
        // WHEN asked for the first and the last in a box around (2,2)
        List<Positions.Position> found = positions.within(
                Positions.Ids.of(List.of(characters.get(0).toString(), characters.get(2).toString())), 0, 4, 0, 4);

        // THEN only the first: the second is inside but not asked, the third asked but outside
        assertEquals(List.of(new Positions.Position(characters.get(0), 1, 1)), found);
    }

    @Test
    void within_upperCaseIds_found() {
        List<Positions.Position> found = positions.within(
                Positions.Ids.of(List.of(characters.get(1).toString().toUpperCase(java.util.Locale.ROOT))), 0, 4, 0, 4);

        assertEquals(List.of(new Positions.Position(characters.get(1), 3, 3)), found);
    }

    @Test
    void within_charactersOnTheBoxEdges_included() {
        List<Positions.Position> found = positions.within(
                Positions.Ids.of(characters.stream().map(UUID::toString).toList()), 1, 3, 1, 3);

        assertEquals(Set.of(characters.get(0), characters.get(1)), found.stream().map(Positions.Position::characterId)
                .collect(Collectors.toSet()));
    }

    @Test
    void within_noIds_empty() {
        assertEquals(List.of(), positions.within(Positions.Ids.of(List.of()), 0, 10, 0, 10));
    }

    @Test
    void within_hundredIds_allInsideFound() {
        // GIVEN an instance's worth of members, most of whom have no row here
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 97; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        characters.forEach(c -> ids.add(c.toString()));

        List<Positions.Position> found = positions.within(Positions.Ids.of(ids), 0, 10, 0, 10);

        assertEquals(Set.copyOf(characters), found.stream().map(Positions.Position::characterId)
                .collect(Collectors.toSet()));
    }

    @Test
    void within_oneIdsLiteral_servesEveryBoxAskedWithIt() {
        // GIVEN the three characters' ids built once, as View builds them once per member list
        Positions.Ids ids = Positions.Ids.of(characters.stream().map(UUID::toString).toList());

        // WHEN two different boxes are asked with it
        List<Positions.Position> low = positions.within(ids, 0, 2, 0, 2);
        List<Positions.Position> high = positions.within(ids, 8, 9, 8, 9);

        // THEN each finds exactly its own
        assertEquals(List.of(new Positions.Position(characters.get(0), 1, 1)), low);
        assertEquals(List.of(new Positions.Position(characters.get(2), 9, 9)), high);
    }

    /** The literal is built by hand: an id that is not a UUID must never reach it (it could add array elements). */
    @Test
    void ids_notAUuid_refusedBeforeAnyQuery() {
        String injected = characters.get(0) + "," + characters.get(2);

        assertThrows(IllegalArgumentException.class, () -> Positions.Ids.of(List.of(injected)));
        assertThrows(IllegalArgumentException.class, () -> Positions.Ids.of(List.of("}")));
    }

    /** Stop 20's first literal, cast in SQL, made PostgreSQL cast per row over a sequential scan (24.5 ms a call). */
    @Test
    void query_asBound_canUseThePrimaryKeyIndex() throws SQLException {
        DataSource db = DelegatingDataSource.unwrapDataSource(contextual);
        try (Connection c = db.getConnection()) {
            try (Statement s = c.createStatement()) {
                // Only a plan that cannot use the index is left with a sequential scan once scans cost "infinity".
                s.execute("SET enable_seqscan = off");
            }
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement s = c.prepareStatement("EXPLAIN " + Positions.QUERY)) {
                Positions.bind(s, Positions.Ids.of(characters.stream().map(UUID::toString).toList()), 0, 10, 0, 10);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("RESET enable_seqscan");
                }
            }
            assertFalse(plan.toString().contains("Seq Scan"), plan.toString());
            assertTrue(plan.toString().contains("characters_pkey"), plan.toString());
        }
    }
}
