package io.tilemud.discord.relay;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Requires;
import io.tilemud.discord.DiscordLink;
import io.tilemud.discord.DiscordSettings;
import io.tilemud.discord.JdbcDiscordLinks;
import io.tilemud.rooms.ExternalRoomEvents;
import io.tilemud.rooms.RoomEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gateway dispatches into the game (DSC-02): {@code VOICE_STATE_UPDATE} in a room's channel becomes
 * {@code voice.joined} / {@code voice.left} for the linked player (a move between channels is a leave and a join;
 * unlinked Discord users are not shown), {@code MESSAGE_CREATE} in a room's channel becomes {@code chat.message}
 * with the Discord author's name, the content cut to {@link DiscordSettings#messageMaxChars()} and control
 * characters removed; bots (our own lines echoed back) are skipped. Everything goes through
 * {@link ExternalRoomEvents}, so it is logged with a roomSeq before members get it. Thread-safe.
 */
@Singleton
@Requires(property = DiscordSettings.ENABLED_PROPERTY, pattern = ".+")
public class GatewayEvents {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayEvents.class);
    public static final String SOURCE = "discord";
    private final JdbcCommandQueue queue;
    private final JdbcDiscordLinks links;
    private final ExternalRoomEvents rooms;
    private final DiscordSettings settings;
    /** The channel each Discord user is in as far as we saw: Discord's update says only where it is now. */
    private final Map<String, String> voiceChannelOf = new ConcurrentHashMap<>();

    public GatewayEvents(JdbcCommandQueue queue, JdbcDiscordLinks links, ExternalRoomEvents rooms, DiscordSettings settings) {
        this.queue = queue;
        this.links = links;
        this.rooms = rooms;
        this.settings = settings;
    }

    /** One dispatch ({@code t} and {@code d} of an op-0 gateway payload); other types are ignored. */
    public void onDispatch(String type, JsonNode data) {
        try {
            switch (type) {
                case "VOICE_STATE_UPDATE" -> voice(data);
                case "MESSAGE_CREATE" -> message(data);
                default -> {
                    // READY, GUILD_CREATE, …: nothing for rooms
                }
            }
        } catch (RuntimeException e) {
            // One bad dispatch must not end the gateway's reader; the event is lost, which the log says.
            LOG.error("discord dispatch {} not applied", type, e);
        }
    }

    private void voice(JsonNode d) {
        if (!settings.guildId().equals(d.path("guild_id").asText(settings.guildId()))) {
            return;
        }
        String discordUserId = d.path("user_id").asText();
        String now = d.path("channel_id").isTextual() ? d.get("channel_id").asText() : null;
        String before = now == null ? voiceChannelOf.remove(discordUserId) : voiceChannelOf.put(discordUserId, now);
        if (before != null && before.equals(now)) {
            return; // mute, deafen, stream: still in the same channel
        }
        Optional<DiscordLink> link = links.findByDiscordId(discordUserId);
        if (link.isEmpty()) {
            return;
        }
        Map<String, Object> who = new LinkedHashMap<>();
        who.put("userId", link.get().userId().toString());
        who.put("discordName", link.get().discordName());
        if (before != null) {
            queue.roomOfChannel(before).ifPresent(room -> rooms.received(room, RoomEvent.VOICE_LEFT, SOURCE, who));
        }
        if (now != null) {
            queue.roomOfChannel(now).ifPresent(room -> rooms.received(room, RoomEvent.VOICE_JOINED, SOURCE, who));
        }
    }

    private void message(JsonNode d) {
        JsonNode author = d.path("author");
        if (author.path("bot").asBoolean(false)) {
            return;
        }
        Optional<UUID> room = queue.roomOfChannel(d.path("channel_id").asText());
        if (room.isEmpty()) {
            return;
        }
        String text = clean(d.path("content").asText(""), settings.messageMaxChars());
        if (text.isEmpty()) {
            return; // an attachment or embed only: nothing to show as a line
        }
        String name = author.path("global_name").isTextual() ? author.get("global_name").asText()
                : author.path("username").asText("discord");
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("name", clean(name, 64));
        line.put("text", text);
        line.put("via", SOURCE);
        line.put("discordMessageId", d.path("id").asText());
        links.findByDiscordId(author.path("id").asText()).ifPresent(l -> line.put("userId", l.userId().toString()));
        rooms.received(room.get(), RoomEvent.CHAT_MESSAGE, SOURCE, line);
    }

    /** Control and format characters out (no terminal tricks, no invisible text), then cut at a code point boundary. */
    static String clean(String text, int maxChars) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars));
        text.codePoints().filter(cp -> cp == '\n' || !(Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT))
                .limit(maxChars).forEach(out::appendCodePoint);
        return out.toString().strip();
    }
}
