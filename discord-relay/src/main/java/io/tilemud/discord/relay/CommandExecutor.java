package io.tilemud.discord.relay;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.tilemud.contract.MetricNames;
import io.tilemud.discord.DiscordSettings;
import io.tilemud.discord.rest.DiscordRestClient;
import io.tilemud.discord.rest.RestOutcome;
import io.tilemud.rooms.ExternalRoomEvents;
import io.tilemud.rooms.RoomEvent;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Carries out one outbox command against Discord (DSC-01) and records the result. At-least-once: a command whose
 * call may have happened before a crash ({@link Command#attempts()} &gt; 0) looks first where Discord allows —
 * the room's role and channel are found by name, a message carries its row id as an enforced nonce, role grants and
 * deletions are idempotent by nature (a 404 on delete is done).
 *
 * <p>A command that fails its retries is marked FAILED, never retried, and its room is told once: {@code voice.status
 * UNAVAILABLE}. Called for one room at a time per room (the relay keeps each room's order).
 */
@Singleton
@Requires(property = DiscordSettings.ENABLED_PROPERTY, pattern = ".+")
public class CommandExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(CommandExecutor.class);
    private final DiscordRestClient rest;
    private final JdbcCommandQueue queue;
    private final ExternalRoomEvents rooms;
    private final DiscordSettings settings;
    private final MeterRegistry metrics;

    public CommandExecutor(DiscordRestClient rest, JdbcCommandQueue queue, ExternalRoomEvents rooms, DiscordSettings settings,
                           MeterRegistry metrics) {
        this.rest = rest;
        this.queue = queue;
        this.rooms = rooms;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** The names we find a room's Discord side by again (at-least-once). */
    static String roleName(UUID roomId) {
        return "tilemud-room-" + roomId;
    }

    static String channelName(UUID roomId) {
        return "room-" + roomId.toString().substring(0, 8);
    }

    /** @return true when the command is done, false when it failed for good */
    public boolean execute(Command command) {
        queue.started(command.id());
        Optional<RoomSide> side = queue.side(command.roomId());
        String guild = settings.guildId();
        RestOutcome outcome = switch (command.kind()) {
            case CREATE_ROOM -> createRoom(command, side.orElse(new RoomSide(null, null, RoomSide.PENDING)), guild);
            case ADD_MEMBER_ROLE -> side.map(RoomSide::roleId).map(role ->
                    rest.addMemberRole(guild, command.payload().path("discordUserId").asText(), role))
                    .orElseGet(() -> noSide("the room has no Discord role"));
            case REMOVE_MEMBER_ROLE -> side.map(RoomSide::roleId).map(role ->
                    rest.removeMemberRole(guild, command.payload().path("discordUserId").asText(), role))
                    .orElseGet(RelayOutcomes::nothingToDo);
            case DELETE_ROOM -> deleteRoom(command.roomId(), side, guild);
            case SEND_MESSAGE -> channel(side).map(channel -> rest.sendMessage(channel,
                    line(command.payload()), Long.toString(command.id()))).orElseGet(() -> noSide("the room has no channel"));
            case ADD_REACTION -> channel(side).map(channel -> rest.addReaction(channel,
                    command.payload().path("messageId").asText(), command.payload().path("emoji").asText()))
                    .orElseGet(() -> noSide("the room has no channel"));
            case TYPING -> channel(side).map(rest::typing).orElseGet(() -> noSide("the room has no channel"));
        };
        return switch (outcome) {
            case RestOutcome.Ok ok -> {
                queue.done(command.id());
                yield true;
            }
            case RestOutcome.Failed(int status, String reason, int attempts) -> {
                LOG.warn("discord command {} {} of room {} failed after {} attempts: {}", command.id(), command.kind(),
                        command.roomId(), attempts, reason);
                queue.failed(command.id(), reason);
                metrics.counter(MetricNames.DISCORD_COMMANDS_FAILED, "kind", command.kind().name()).increment();
                if (command.kind() != io.tilemud.discord.DiscordCommandKind.DELETE_ROOM
                        && queue.status(command.roomId(), RoomSide.UNAVAILABLE)) {
                    tell(command.roomId(), Map.of("status", RoomSide.UNAVAILABLE));
                }
                yield false;
            }
        };
    }

    private RestOutcome createRoom(Command command, RoomSide side, String guild) {
        String roleId = side.roleId();
        if (roleId == null && command.attempts() > 0) {
            roleId = findByName(rest.listRoles(guild), roleName(command.roomId())).orElse(null);
        }
        if (roleId == null) {
            RestOutcome role = rest.createRole(guild, roleName(command.roomId()));
            if (!(role instanceof RestOutcome.Ok(int status, JsonNode body))) {
                return role;
            }
            roleId = body.path("id").asText();
        }
        queue.roleCreated(command.roomId(), roleId);
        String channelId = side.channelId();
        if (channelId == null && command.attempts() > 0) {
            channelId = findByName(rest.listChannels(guild), channelName(command.roomId())).orElse(null);
        }
        RestOutcome result = RelayOutcomes.nothingToDo();
        if (channelId == null) {
            result = rest.createVoiceChannel(guild, channelName(command.roomId()), roleId);
            if (!(result instanceof RestOutcome.Ok(int created, JsonNode channel))) {
                return result;
            }
            channelId = channel.path("id").asText();
        }
        queue.channelCreated(command.roomId(), channelId);
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("status", RoomSide.READY);
        ready.put("voiceLink", settings.channelLinkBase() + "/" + guild + "/" + channelId);
        tell(command.roomId(), ready);
        return result;
    }

    private RestOutcome deleteRoom(UUID roomId, Optional<RoomSide> side, String guild) {
        if (side.isEmpty()) {
            return RelayOutcomes.nothingToDo();
        }
        if (side.get().channelId() != null) {
            RestOutcome channel = rest.deleteChannel(side.get().channelId());
            if (channel instanceof RestOutcome.Failed) {
                return channel;
            }
        }
        if (side.get().roleId() != null) {
            RestOutcome role = rest.deleteRole(guild, side.get().roleId());
            if (role instanceof RestOutcome.Failed) {
                return role;
            }
        }
        queue.status(roomId, RoomSide.DELETED);
        return RelayOutcomes.nothingToDo();
    }

    /** A line from the game as Discord shows it: the author in bold (markdown in the name escaped), then the text. */
    static String line(JsonNode payload) {
        String author = payload.path("author").asText("?").replaceAll("([\\\\*_~`|>#\\[\\]()])", "\\\\$1");
        String content = "**" + author + "**: " + payload.path("text").asText("");
        return content.length() > 2000 ? content.substring(0, 2000) : content;
    }

    private static Optional<String> channel(Optional<RoomSide> side) {
        return side.map(RoomSide::channelId);
    }

    private static Optional<String> findByName(RestOutcome listed, String name) {
        if (listed instanceof RestOutcome.Ok(int status, JsonNode body) && body.isArray()) {
            for (JsonNode item : body) {
                if (name.equals(item.path("name").asText())) {
                    return Optional.of(item.path("id").asText());
                }
            }
        }
        return Optional.empty();
    }

    private static RestOutcome noSide(String reason) {
        return new RestOutcome.Failed(0, reason, 0);
    }

    private void tell(UUID roomId, Map<String, Object> payload) {
        try {
            rooms.received(roomId, RoomEvent.VOICE_STATUS, "discord", payload);
        } catch (RuntimeException e) {
            // The status is also visible in the room's voiceLink; a lost notice must not stop the queue.
            LOG.warn("voice.status of room {} not delivered: {}", roomId, e.toString());
        }
    }
}
