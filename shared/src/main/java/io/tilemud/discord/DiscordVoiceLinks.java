package io.tilemud.discord;

import io.micronaut.context.annotation.Requires;
import io.tilemud.rooms.VoiceLinks;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * The room's voice link once the relay created its channel: {@code {channelLinkBase}/{guildId}/{channelId}}. The
 * channel and role are deleted through the outbox inside the room's transaction ({@link JdbcDiscordOutbox}), so
 * {@link #roomDeleted} has nothing left to do.
 */
@Singleton
@Requires(property = DiscordSettings.ENABLED_PROPERTY, pattern = ".+")
public class DiscordVoiceLinks implements VoiceLinks {
    private final DataSource dataSource;
    private final DiscordSettings settings;

    public DiscordVoiceLinks(DataSource dataSource, DiscordSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    @Override
    @Transactional
    public Optional<String> linkOf(UUID roomId) {
        try (PreparedStatement s = dataSource.getConnection().prepareStatement(
                "SELECT channel_id FROM discord_rooms WHERE room_id = ? AND status = 'READY'")) {
            s.setObject(1, roomId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getString(1) != null
                        ? Optional.of(settings.channelLinkBase() + "/" + settings.guildId() + "/" + rs.getString(1))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DiscordStoreException(e);
        }
    }

    @Override
    public void roomDeleted(UUID roomId) {
        // queued in the room's own transaction already
    }
}
