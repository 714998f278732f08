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
            int dx = intent instanceof Intent.Move move ? move.dx() : 0;
            int dy = intent instanceof Intent.Move move ? move.dy() : 0;
            State state = lockAndRead(connection, characterId, sessionId, instanceId, dx, dy);
            long last = state.lastSeq();
            if (intent.seq() <= last) {
                return new IntentOutcome.Replayed(intent.seq());
            }
            if (intent.seq() != last + 1) {
                return new IntentOutcome.Rejected(intent.seq(), ErrorCode.SEQ_OUT_OF_ORDER,
                        "expected seq " + (last + 1) + ", got " + intent.seq());
            }
            int x = state.x();
            int y = state.y();
            Map<String, Object> payload = new LinkedHashMap<>();
            boolean moved = false;
            if (intent instanceof Intent.Move move) {
                if (state.width() == null) {
                    throw new IllegalStateException("instance " + instanceId + " does not exist");
                }
                // The wall flag read above is for (x + dx, y + dy): the only tile MoveRules asks about.
                var violation = MoveRules.violation(x, y, move, state.width(), state.height(),
                        (wx, wy) -> state.targetIsWall());
                if (violation.isPresent()) {
                    return new IntentOutcome.Rejected(intent.seq(), ErrorCode.INVALID_MOVE, violation.get());
                }
                x += move.dx();
                y += move.dy();
                payload.put("dx", move.dx());
                payload.put("dy", move.dy());
                moved = true;
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
            // The position update rides in the same statement as the log row: one round trip for both.
            String insert = """
                    INSERT INTO action_events (session_id, seq, character_id, instance_id, kind, payload, created_at)
                    VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)""";
            try (PreparedStatement write = connection.prepareStatement(moved
                    ? "WITH moved AS (UPDATE characters SET x = ?, y = ? WHERE id = ?) " + insert : insert)) {
                int i = 1;
                if (moved) {
                    write.setInt(i++, x);
                    write.setInt(i++, y);
                    write.setObject(i++, characterId);
                }
                write.setString(i++, sessionId);
                write.setLong(i++, intent.seq());
                write.setObject(i++, characterId);
                write.setString(i++, instanceId);
                write.setString(i++, intent.kind());
                write.setString(i++, json.writeValueAsString(payload));
                // The application clock, not the database's: resume windows are computed on the same clock (RT-06).
                write.setObject(i, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                write.executeUpdate();
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

    /** What an intent is decided on, read in one round trip while the character's row is locked. */
    private record State(int x, int y, long lastSeq, Integer width, Integer height, boolean targetIsWall) {
    }

    /**
     * Locks the character (intents of one character are applied one at a time, whatever the container), then reads
     * the session's last seq, the instance's size and whether (x + dx, y + dy) is a wall in one statement: two round
     * trips instead of four. The second statement must follow the lock, not share its statement: in READ COMMITTED
     * only a statement started after the lock sees what the transaction that held it committed (its seq).
     */
    private static State lockAndRead(Connection connection, UUID characterId, String sessionId, String instanceId,
                                     int dx, int dy) throws SQLException {
        int x;
        int y;
        try (PreparedStatement lock = connection.prepareStatement("SELECT x, y FROM characters WHERE id = ? FOR UPDATE")) {
            lock.setObject(1, characterId);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("character " + characterId + " does not exist");
                }
                x = rs.getInt(1);
                y = rs.getInt(2);
            }
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT (SELECT coalesce(max(e.seq), 0) FROM action_events e WHERE e.session_id = ?),
                       i.width, i.height,
                       EXISTS (SELECT 1 FROM world_walls w WHERE w.instance_id = ? AND w.x = ? AND w.y = ?)
                FROM (SELECT 1) AS one LEFT JOIN instances i ON i.id = ?""")) {
            select.setString(1, sessionId);
            select.setString(2, instanceId);
            select.setInt(3, x + dx);
            select.setInt(4, y + dy);
            select.setString(5, instanceId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                int width = rs.getInt(2);
                Integer w = rs.wasNull() ? null : width;
                int height = rs.getInt(3);
                Integer h = rs.wasNull() ? null : height;
                return new State(x, y, rs.getLong(1), w, h, rs.getBoolean(4));
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
}
