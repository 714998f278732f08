package io.tilemud.realtime;

import io.micronaut.json.JsonMapper;
import io.tilemud.error.ErrorCode;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** {@link ActionLog} in PostgreSQL ({@code action_events} + {@code characters}). */
@Singleton
public class JdbcActionLog implements ActionLog {
    private final DataSource dataSource;
    private final JsonMapper json;
    private final Clock clock;

    public JdbcActionLog(DataSource dataSource, JsonMapper json, Clock clock) {
        this.dataSource = dataSource;
        this.json = json;
        this.clock = clock;
    }

    @Override
    @Transactional
    public IntentOutcome apply(String sessionId, UUID characterId, String instanceId, Intent intent) {
        try {
            Connection connection = dataSource.getConnection();
            int[] position = lockCharacter(connection, characterId);
            long last = lastSeq(connection, sessionId);
            if (intent.seq() <= last) {
                return new IntentOutcome.Replayed(intent.seq());
            }
            if (intent.seq() != last + 1) {
                return new IntentOutcome.Rejected(intent.seq(), ErrorCode.SEQ_OUT_OF_ORDER,
                        "expected seq " + (last + 1) + ", got " + intent.seq());
            }
            int x = position[0];
            int y = position[1];
            Map<String, Object> payload = new LinkedHashMap<>();
            if (intent instanceof Intent.Move move) {
                int[] size = worldSize(connection, instanceId);
                var violation = MoveRules.violation(x, y, move, size[0], size[1],
                        (wx, wy) -> isWall(connection, instanceId, wx, wy));
                if (violation.isPresent()) {
                    return new IntentOutcome.Rejected(intent.seq(), ErrorCode.INVALID_MOVE, violation.get());
                }
                x += move.dx();
                y += move.dy();
                payload.put("dx", move.dx());
                payload.put("dy", move.dy());
                update(connection, "UPDATE characters SET x = ?, y = ? WHERE id = ?", x, y, characterId);
            }
            // Where it happened, so a resume can tell who would have seen it (RT-06).
            payload.put("x", x);
            payload.put("y", y);
            if (intent instanceof Intent.Chat chat) {
                payload.put("text", chat.text());
            } else if (intent instanceof Intent.Action action) {
                payload.put("name", action.name());
                payload.put("args", action.args());
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO action_events (session_id, seq, character_id, instance_id, kind, payload, created_at)
                    VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)""")) {
                insert.setString(1, sessionId);
                insert.setLong(2, intent.seq());
                insert.setObject(3, characterId);
                insert.setString(4, instanceId);
                insert.setString(5, intent.kind());
                insert.setString(6, json.writeValueAsString(payload));
                // The application clock, not the database's: resume windows are computed on the same clock (RT-06).
                insert.setObject(7, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                insert.executeUpdate();
            }
            return new IntentOutcome.Applied(intent.seq(), intent.kind(), x, y);
        } catch (SQLException e) {
            throw new ActionLogUnavailableException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    @Transactional
    public long lastSeq(String sessionId) {
        try {
            return lastSeq(dataSource.getConnection(), sessionId);
        } catch (SQLException e) {
            throw new ActionLogUnavailableException(e);
        }
    }

    private static int[] lockCharacter(Connection connection, UUID characterId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT x, y FROM characters WHERE id = ? FOR UPDATE")) {
            select.setObject(1, characterId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("character " + characterId + " does not exist");
                }
                return new int[]{rs.getInt(1), rs.getInt(2)};
            }
        }
    }

    private static long lastSeq(Connection connection, String sessionId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT coalesce(max(seq), 0) FROM action_events WHERE session_id = ?")) {
            select.setString(1, sessionId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static int[] worldSize(Connection connection, String instanceId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT width, height FROM instances WHERE id = ?")) {
            select.setString(1, instanceId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("instance " + instanceId + " does not exist");
                }
                return new int[]{rs.getInt(1), rs.getInt(2)};
            }
        }
    }

    private static boolean isWall(Connection connection, String instanceId, int x, int y) {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM world_walls WHERE instance_id = ? AND x = ? AND y = ?")) {
            select.setString(1, instanceId);
            select.setInt(2, x);
            select.setInt(3, y);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new ActionLogUnavailableException(e);
        }
    }

    private static void update(Connection connection, String sql, int x, int y, UUID id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setInt(1, x);
            update.setInt(2, y);
            update.setObject(3, id);
            update.executeUpdate();
        }
    }
}
