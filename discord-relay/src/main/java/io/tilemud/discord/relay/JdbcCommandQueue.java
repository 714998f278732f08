package io.tilemud.discord.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.annotation.Requires;
import io.tilemud.discord.DiscordCommandKind;
import io.tilemud.discord.DiscordSettings;
import io.tilemud.discord.DiscordStoreException;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The relay's side of the Discord outbox ({@code discord_outbox}, {@code discord_rooms}). Only the leader relay
 * calls it, so reads need no row locks; every write is its own short transaction.
 */
@Singleton
@Requires(property = DiscordSettings.ENABLED_PROPERTY, pattern = ".+")
public class JdbcCommandQueue {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DataSource dataSource;
    private final Clock clock;

    public JdbcCommandQueue(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The oldest pending commands, in queue order. */
    @Transactional
    public List<Command> pending(int limit) {
        List<Command> commands = new ArrayList<>();
        try (PreparedStatement s = dataSource.getConnection().prepareStatement("""
                SELECT id, room_id, kind, payload::text, attempts FROM discord_outbox
                WHERE status = 'PENDING' ORDER BY id LIMIT ?""")) {
            s.setInt(1, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    commands.add(new Command(rs.getLong(1), rs.getObject(2, UUID.class),
                            DiscordCommandKind.valueOf(rs.getString(3)), JSON.readTree(rs.getString(4)), rs.getInt(5)));
                }
            }
            return commands;
        } catch (SQLException | IOException e) {
            throw new DiscordStoreException(e);
        }
    }

    /** Counted before the call: after a crash mid-call the next run knows Discord may have done it already. */
    @Transactional
    public void started(long id) {
        update("UPDATE discord_outbox SET attempts = attempts + 1 WHERE id = ?", id);
    }

    @Transactional
    public void done(long id) {
        update("UPDATE discord_outbox SET status = 'DONE', done_at = ? WHERE id = ?", Timestamp.from(clock.instant()), id);
    }

    /** Given up for good: never picked up again. */
    @Transactional
    public void failed(long id, String reason) {
        update("UPDATE discord_outbox SET status = 'FAILED', done_at = ?, last_error = ? WHERE id = ?",
                Timestamp.from(clock.instant()), reason.length() > 500 ? reason.substring(0, 500) : reason, id);
    }

    @Transactional
    public Optional<RoomSide> side(UUID roomId) {
        try (PreparedStatement s = dataSource.getConnection().prepareStatement(
                "SELECT role_id, channel_id, status FROM discord_rooms WHERE room_id = ?")) {
            s.setObject(1, roomId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new RoomSide(rs.getString(1), rs.getString(2), rs.getString(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DiscordStoreException(e);
        }
    }

    @Transactional
    public void roleCreated(UUID roomId, String roleId) {
        update("UPDATE discord_rooms SET role_id = ?, updated_at = ? WHERE room_id = ?", roleId,
                Timestamp.from(clock.instant()), roomId);
    }

    @Transactional
    public void channelCreated(UUID roomId, String channelId) {
        update("UPDATE discord_rooms SET channel_id = ?, status = 'READY', updated_at = ? WHERE room_id = ?", channelId,
                Timestamp.from(clock.instant()), roomId);
    }

    /** @return true when this changed the status (the room is told once per change) */
    @Transactional
    public boolean status(UUID roomId, String status) {
        return update("UPDATE discord_rooms SET status = ?, updated_at = ? WHERE room_id = ? AND status <> ?", status,
                Timestamp.from(clock.instant()), roomId, status) == 1;
    }

    /** The open room whose voice channel this is (the gateway's events name channels). */
    @Transactional
    public Optional<UUID> roomOfChannel(String channelId) {
        try (PreparedStatement s = dataSource.getConnection().prepareStatement(
                "SELECT room_id FROM discord_rooms WHERE channel_id = ? AND status <> 'DELETED'")) {
            s.setString(1, channelId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DiscordStoreException(e);
        }
    }

    private int update(String sql, Object... args) {
        try (PreparedStatement s = dataSource.getConnection().prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new DiscordStoreException(e);
        }
    }
}
