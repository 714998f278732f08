package io.tilemud.realtime;

import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** {@link ActionHistory} over {@code action_events}. */
@Singleton
public class JdbcActionHistory implements ActionHistory {
    private static final String COLUMNS = """
            SELECT id, session_id, seq, character_id, kind, (payload->>'x')::int, (payload->>'y')::int, payload->>'text'
            FROM action_events""";

    private final DataSource dataSource;

    public JdbcActionHistory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    @Transactional
    public List<PastEvent> ofSessionAfter(String sessionId, long afterSeq, int limit) {
        try (PreparedStatement select = dataSource.getConnection().prepareStatement(
                COLUMNS + " WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            select.setString(1, sessionId);
            select.setLong(2, afterSeq);
            select.setInt(3, limit);
            return read(select);
        } catch (SQLException e) {
            throw new ActionLogUnavailableException(e);
        }
    }

    @Override
    @Transactional
    public List<PastEvent> seenFrom(String instanceId, int x, int y, int radius, String exceptSessionId, Instant from,
                                    Instant to, int limit) {
        // The view box is filtered here, so the limit counts only what the player would have seen.
        try (PreparedStatement select = dataSource.getConnection().prepareStatement(COLUMNS + " " + """
                 WHERE instance_id = ? AND created_at BETWEEN ? AND ? AND session_id <> ?
                   AND (payload->>'x')::int BETWEEN ? AND ? AND (payload->>'y')::int BETWEEN ? AND ?
                 ORDER BY id LIMIT ?""")) {
            select.setString(1, instanceId);
            select.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            select.setObject(3, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            select.setString(4, exceptSessionId);
            select.setInt(5, x - radius);
            select.setInt(6, x + radius);
            select.setInt(7, y - radius);
            select.setInt(8, y + radius);
            select.setInt(9, limit);
            return read(select);
        } catch (SQLException e) {
            throw new ActionLogUnavailableException(e);
        }
    }

    private static List<PastEvent> read(PreparedStatement select) throws SQLException {
        List<PastEvent> events = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                events.add(new PastEvent(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6), rs.getInt(7), rs.getString(8)));
            }
        }
        return events;
    }
}
