package io.tilemud.discord;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Linked Discord accounts ({@code discord_links}). Linking or unlinking while in a room queues the role change in the
 * same transaction, so the member's Discord access always follows its link.
 */
@Singleton
@Requires(property = DiscordSettings.ENABLED_PROPERTY, pattern = ".+")
public class JdbcDiscordLinks {
    private final DataSource dataSource;
    private final JdbcDiscordOutbox outbox;

    public JdbcDiscordLinks(DataSource dataSource, JdbcDiscordOutbox outbox) {
        this.dataSource = dataSource;
        this.outbox = outbox;
    }

    /** What a link attempt came to. */
    public enum LinkResult { LINKED, TAKEN }

    @Transactional
    public Optional<DiscordLink> find(UUID userId) {
        return one("SELECT user_id, discord_user_id, discord_name, linked_at FROM discord_links WHERE user_id = ?", userId);
    }

    @Transactional
    public Optional<DiscordLink> findByDiscordId(String discordUserId) {
        return one("SELECT user_id, discord_user_id, discord_name, linked_at FROM discord_links WHERE discord_user_id = ?",
                discordUserId);
    }

    /**
     * Links (or re-links) the player's account. {@link LinkResult#TAKEN} when the Discord account is another
     * player's; nothing changes then. A player already in a room gets the room's role (and loses it for an account
     * it linked before).
     */
    @Transactional
    public LinkResult link(UUID userId, String discordUserId, String discordName, Instant now) {
        try {
            Connection c = dataSource.getConnection();
            Optional<DiscordLink> owner = findByDiscordId(discordUserId);
            if (owner.isPresent() && !owner.get().userId().equals(userId)) {
                return LinkResult.TAKEN;
            }
            Optional<DiscordLink> before = find(userId);
            Optional<UUID> room = roomOf(c, userId);
            if (room.isPresent() && before.isPresent() && !before.get().discordUserId().equals(discordUserId)) {
                outbox.enqueue(room.get(), DiscordCommandKind.REMOVE_MEMBER_ROLE,
                        Map.of("discordUserId", before.get().discordUserId()));
            }
            try (PreparedStatement s = c.prepareStatement("""
                    INSERT INTO discord_links (user_id, discord_user_id, discord_name, linked_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (user_id) DO UPDATE SET discord_user_id = excluded.discord_user_id,
                        discord_name = excluded.discord_name, linked_at = excluded.linked_at""")) {
                s.setObject(1, userId);
                s.setString(2, discordUserId);
                s.setString(3, discordName);
                s.setTimestamp(4, Timestamp.from(now));
                s.executeUpdate();
            }
            room.ifPresent(r -> outbox.enqueue(r, DiscordCommandKind.ADD_MEMBER_ROLE, Map.of("discordUserId", discordUserId)));
            return LinkResult.LINKED;
        } catch (SQLException e) {
            throw new DiscordStoreException(e);
        }
    }

    /** Removes the link; a player in a room loses the room's role. Empty when there was no link. */
    @Transactional
    public Optional<DiscordLink> unlink(UUID userId) {
        try {
            Connection c = dataSource.getConnection();
            Optional<DiscordLink> before = find(userId);
            if (before.isEmpty()) {
                return before;
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM discord_links WHERE user_id = ?")) {
                s.setObject(1, userId);
                s.executeUpdate();
            }
            roomOf(c, userId).ifPresent(r -> outbox.enqueue(r, DiscordCommandKind.REMOVE_MEMBER_ROLE,
                    Map.of("discordUserId", before.get().discordUserId())));
            return before;
        } catch (SQLException e) {
            throw new DiscordStoreException(e);
        }
    }

    private Optional<DiscordLink> one(String sql, Object key) {
        try (PreparedStatement s = dataSource.getConnection().prepareStatement(sql)) {
            s.setObject(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next()
                        ? Optional.of(new DiscordLink(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getTimestamp(4).toInstant()))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DiscordStoreException(e);
        }
    }

    private static Optional<UUID> roomOf(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT room_id FROM room_members WHERE user_id = ?")) {
            s.setObject(1, userId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }
}
