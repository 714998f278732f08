package io.tilemud.connection;

import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
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
}
