package io.tilemud.connection;

import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** {@link UserConnections} in PostgreSQL ({@code user_connections}). Each call is one statement in its own transaction. */
@Singleton
public class JdbcUserConnections implements UserConnections {
    private final DataSource dataSource;

    public JdbcUserConnections(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    @Transactional
    public void bound(UUID userId, String connectionId, Instant at) {
        try {
            Connection c = dataSource.getConnection();
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO user_connections (user_id, connection_id, connected_at) VALUES (?, ?, ?)
                    ON CONFLICT (user_id) DO UPDATE SET connection_id = EXCLUDED.connection_id,
                        connected_at = EXCLUDED.connected_at""")) {
                s.setObject(1, userId);
                s.setString(2, connectionId);
                s.setTimestamp(3, Timestamp.from(at));
                s.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("user connection not recorded", e);
        }
    }

    @Override
    @Transactional
    public void unbound(String connectionId) {
        try {
            Connection c = dataSource.getConnection();
            try (PreparedStatement s = c.prepareStatement("DELETE FROM user_connections WHERE connection_id = ?")) {
                s.setString(1, connectionId);
                s.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("user connection not removed", e);
        }
    }

    @Override
    @Transactional
    public Map<UUID, String> of(Collection<UUID> userIds) {
        Map<UUID, String> found = new HashMap<>();
        if (userIds.isEmpty()) {
            return found;
        }
        try {
            Connection c = dataSource.getConnection();
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT user_id, connection_id FROM user_connections WHERE user_id = ANY (?)")) {
                Array ids = c.createArrayOf("uuid", userIds.toArray());
                s.setArray(1, ids);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getObject(1, UUID.class), rs.getString(2));
                    }
                }
                return found;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("user connections not read", e);
        }
    }
}
