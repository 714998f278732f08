package io.tilemud.discord;

import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.tilemud.rooms.VoiceCommands;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Discord outbox in PostgreSQL ({@code discord_outbox}, {@code discord_rooms}): the rooms' {@link VoiceCommands}
 * when a bot token is configured. Every write joins the caller's transaction ({@code MANDATORY}: a command without
 * the room change it belongs to is a bug), so a command exists exactly when its room change committed.
 * The cap is read, not locked: writers racing at 999 may together go a few rows (at most one per open transaction)
 * past it, which is harmless; what matters is that the queue cannot grow without bound.
 */
@Singleton
@Requires(property = DiscordSettings.ENABLED_PROPERTY, pattern = ".+")
public class JdbcDiscordOutbox implements VoiceCommands {
    private final DataSource dataSource;
    private final JsonMapper json;
    private final DiscordSettings settings;
    private final Clock clock;

    public JdbcDiscordOutbox(DataSource dataSource, JsonMapper json, DiscordSettings settings, Clock clock) {
        this.dataSource = dataSource;
        this.json = json;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean full() {
        // Asked before every create, join and room line: counting stops at the cap, so however far a burst took
        // the queue past it, the answer costs no more than the cap's worth of index entries.
        try (PreparedStatement s = connection().prepareStatement(
                "SELECT count(*) FROM (SELECT 1 FROM discord_outbox WHERE status = 'PENDING' LIMIT ?) capped")) {
            s.setInt(1, settings.outboxMaxPending());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1) >= settings.outboxMaxPending();
            }
        } catch (SQLException e) {
            throw new DiscordStoreException(e);
        }
    }

    /** Commands not yet applied nor given up. */
    @Transactional
    public long pending() {
        try (PreparedStatement s = connection().prepareStatement(
                "SELECT count(*) FROM discord_outbox WHERE status = 'PENDING'")) {
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new DiscordStoreException(e);
        }
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void roomCreated(UUID roomId, UUID ownerId) {
        try (PreparedStatement s = connection().prepareStatement(
                "INSERT INTO discord_rooms (room_id, status, updated_at) VALUES (?, 'PENDING', ?)")) {
            s.setObject(1, roomId);
            s.setTimestamp(2, Timestamp.from(clock.instant()));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new DiscordStoreException(e);
        }
        enqueue(roomId, DiscordCommandKind.CREATE_ROOM, Map.of());
        memberJoined(roomId, ownerId);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void memberJoined(UUID roomId, UUID userId) {
        // Only linked members get Discord access; an unlinked one gets the role when it links (DiscordAccounts).
        discordIdOf(userId).ifPresent(id -> enqueue(roomId, DiscordCommandKind.ADD_MEMBER_ROLE, Map.of("discordUserId", id)));
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void memberLeft(UUID roomId, UUID userId) {
        discordIdOf(userId).ifPresent(id -> enqueue(roomId, DiscordCommandKind.REMOVE_MEMBER_ROLE, Map.of("discordUserId", id)));
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void roomDeleted(UUID roomId) {
        enqueue(roomId, DiscordCommandKind.DELETE_ROOM, Map.of());
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void chat(UUID roomId, String authorName, String text) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("author", authorName);
        payload.put("text", text);
        enqueue(roomId, DiscordCommandKind.SEND_MESSAGE, payload);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    @Transactional
    public boolean gesture(UUID roomId, String messageId, String emoji) {
        if (full()) {
            return false;
        }
        if (messageId == null) {
            enqueue(roomId, DiscordCommandKind.TYPING, Map.of());
        } else {
            enqueue(roomId, DiscordCommandKind.ADD_REACTION, Map.of("messageId", messageId, "emoji", emoji));
        }
        return true;
    }

    /** Appends one command for the room, in the caller's transaction; returns its id (the order the relay keeps). */
    @Transactional(Transactional.TxType.MANDATORY)
    public long enqueue(UUID roomId, DiscordCommandKind kind, Map<String, Object> payload) {
        try (PreparedStatement s = connection().prepareStatement("""
                INSERT INTO discord_outbox (room_id, kind, payload, created_at) VALUES (?, ?, ?::jsonb, ?) RETURNING id""")) {
            s.setObject(1, roomId);
            s.setString(2, kind.name());
            s.setString(3, json.writeValueAsString(payload));
            s.setTimestamp(4, Timestamp.from(clock.instant()));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new DiscordStoreException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<String> discordIdOf(UUID userId) {
        try (PreparedStatement s = connection().prepareStatement(
                "SELECT discord_user_id FROM discord_links WHERE user_id = ?")) {
            s.setObject(1, userId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DiscordStoreException(e);
        }
    }

    /** The transaction's connection (Micronaut's DataSource is transaction aware); closed by the transaction. */
    private Connection connection() throws SQLException {
        return dataSource.getConnection();
    }
}
