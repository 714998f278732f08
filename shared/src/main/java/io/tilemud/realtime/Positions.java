package io.tilemud.realtime;

import io.micronaut.data.connection.annotation.Connectable;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Where characters stand, read for "who is in view" on every applied move (RT-05). Plain JDBC, one statement in
 * autocommit: the ids travel as one {@code uuid[]} parameter, so every call is the same prepared statement (the
 * repository's {@code IN (?, ?, …)} was a different statement for every member count), and only the three columns a
 * delta needs are read and mapped. Thread safe.
 */
@Singleton
public class Positions {
    private final DataSource dataSource;

    public Positions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A character's tile. */
    public record Position(UUID characterId, int x, int y) {
    }

    /**
     * The characters among {@code ids} standing in [minX, maxX] × [minY, maxY] (inclusive).
     *
     * @param ids character ids as the registry holds them (text): PostgreSQL parses them into the {@code uuid[]}
     */
    @Connectable
    public List<Position> within(Collection<String> ids, int minX, int maxX, int minY, int maxY) {
        if (ids.isEmpty()) {
            return List.of();
        }
        try {
            Connection c = dataSource.getConnection();
            try (PreparedStatement s = c.prepareStatement("""
                    SELECT id, x, y FROM characters
                    WHERE id = ANY (?) AND x BETWEEN ? AND ? AND y BETWEEN ? AND ?""")) {
                Array array = c.createArrayOf("uuid", ids.toArray());
                s.setArray(1, array);
                s.setInt(2, minX);
                s.setInt(3, maxX);
                s.setInt(4, minY);
                s.setInt(5, maxY);
                List<Position> found = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.add(new Position(rs.getObject(1, UUID.class), rs.getInt(2), rs.getInt(3)));
                    }
                }
                return found;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("positions not read", e);
        }
    }
}
