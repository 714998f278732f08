package io.tilemud.rooms;

import io.micronaut.core.annotation.Nullable;
import io.tilemud.connection.ConnectionRecord;
import io.tilemud.contract.WebSocketRoutes;
import io.tilemud.error.ErrorCode;
import io.tilemud.realtime.Frames;
import io.tilemud.realtime.IntentGate;
import io.tilemud.realtime.IntentRateLimiter;
import io.tilemud.realtime.Outbox;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Rooms of four (ROOM-01, ROOM-02): create, invite, join, leave, close over HTTP; {@code room.chat} and
 * {@code room.resume} over the game WebSocket. Every change is committed with its room events before anyone hears of
 * it, then delivered live ({@link RoomDelivery}).
 */
@Singleton
public class RoomService implements ExternalRoomEvents {
    private static final Logger LOG = LoggerFactory.getLogger(RoomService.class);
    /** What may come from outside: voice presence, the voice channel's status and chat (the Discord relay). */
    private static final Set<String> EXTERNAL_TYPES =
            Set.of(RoomEvent.VOICE_JOINED, RoomEvent.VOICE_LEFT, RoomEvent.VOICE_STATUS, RoomEvent.CHAT_MESSAGE);

    private final RoomRepository rooms;
    private final InviteTokens invites;
    private final RoomDelivery delivery;
    private final VoiceLinks voice;
    private final VoiceCommands discord;
    private final Outbox outbox;
    private final Frames frames;
    private final IntentRateLimiter limiter;
    private final IntentGate gate;
    private final RoomSettings settings;
    private final Clock clock;

    public RoomService(RoomRepository rooms, InviteTokens invites, RoomDelivery delivery, VoiceLinks voice,
                       VoiceCommands discord, Outbox outbox, Frames frames, IntentRateLimiter limiter,
                       IntentGate gate, RoomSettings settings, Clock clock) {
        this.gate = gate;
        this.discord = discord;
        this.rooms = rooms;
        this.invites = invites;
        this.delivery = delivery;
        this.voice = voice;
        this.outbox = outbox;
        this.frames = frames;
        this.limiter = limiter;
        this.settings = settings;
        this.clock = clock;
    }

    /** The creator is owner and first member; the answer carries a first invite. */
    public RoomOutcome create(UUID userId, @Nullable UUID activeCharacterId) {
        if (activeCharacterId == null) {
            return noCharacter();
        }
        UUID roomId = UUID.randomUUID();
        return switch (rooms.create(roomId, userId, activeCharacterId, clock.instant())) {
            case RoomChange.Changed changed -> {
                delivered(changed);
                yield new RoomOutcome.Shown(changed.room(), invites.issue(roomId, clock.instant()));
            }
            case RoomChange.Refused(ErrorCode code, String message) -> new RoomOutcome.Refused(code, message);
        };
    }

    /** Joins the room the token names; the token's signature and expiry are checked first. */
    public RoomOutcome join(UUID userId, @Nullable UUID activeCharacterId, @Nullable String inviteToken) {
        if (inviteToken == null || inviteToken.isBlank()) {
            return new RoomOutcome.Refused(ErrorCode.INVITE_INVALID, "inviteToken is required");
        }
        return switch (invites.verify(inviteToken, clock.instant())) {
            case InviteTokens.Verdict.Invalid invalid ->
                    new RoomOutcome.Refused(ErrorCode.INVITE_INVALID, "this is not a valid invite");
            case InviteTokens.Verdict.Expired expired ->
                    new RoomOutcome.Refused(ErrorCode.INVITE_EXPIRED, "this invite has expired; ask a member for a fresh one");
            case InviteTokens.Verdict.Valid(UUID roomId) -> {
                if (activeCharacterId == null) {
                    yield noCharacter();
                }
                yield switch (rooms.join(roomId, userId, activeCharacterId, settings.capacity(), clock.instant())) {
                    case RoomChange.Changed changed -> {
                        delivered(changed);
                        yield new RoomOutcome.Shown(changed.room(), null);
                    }
                    case RoomChange.Refused(ErrorCode code, String message) -> new RoomOutcome.Refused(code, message);
                };
            }
        };
    }

    /** A fresh invite, for any member. */
    public RoomOutcome invite(UUID roomId, UUID userId) {
        if (!rooms.touch(roomId, userId, clock.instant())) {
            return notFound();
        }
        return rooms.find(roomId).<RoomOutcome>map(room -> new RoomOutcome.Shown(room, invites.issue(roomId, clock.instant())))
                .orElseGet(RoomService::notFound);
    }

    /** Members only: anyone else gets the same answer as for a missing room. */
    public RoomOutcome show(UUID roomId, UUID userId) {
        return rooms.find(roomId).filter(room -> room.hasMember(userId))
                .<RoomOutcome>map(room -> new RoomOutcome.Shown(room, null))
                .orElseGet(RoomService::notFound);
    }

    public RoomOutcome leave(UUID roomId, UUID userId) {
        return gone(rooms.leave(roomId, userId, clock.instant()), roomId);
    }

    /** The owner closes the room at once (ROOM-04); other members get {@code FORBIDDEN}. */
    public RoomOutcome close(UUID roomId, UUID userId) {
        return gone(rooms.closeByOwner(roomId, userId, clock.instant()), roomId);
    }

    /** The voice channel of a room, for whoever shows it (empty until Discord is wired in). */
    public java.util.Optional<String> voiceLinkOf(UUID roomId) {
        return voice.linkOf(roomId);
    }

    /** {@code room.chat}: rate limited per user, logged, acknowledged, then delivered to every member. */
    public void chat(ConnectionRecord connection, String text) {
        UUID userId = UUID.fromString(connection.userId());
        if (limiter.check("user:" + userId, WebSocketRoutes.ROOM_CHAT, settings.chatsPerSecond(), clock.millis())
                == IntentRateLimiter.Decision.REFUSED) {
            reply(connection, frames.error(ErrorCode.RATE_LIMITED,
                    "at most " + settings.chatsPerSecond() + " room lines per second", null));
            return;
        }
        // The same bounded queue as intents (issue 15): past it a line is refused at once as busy, before any
        // database work, instead of timing out in the JDBC pool a second later. The place covers the delivery too,
        // which holds a connection while it posts.
        if (!gate.enter()) {
            reply(connection, frames.error(ErrorCode.SERVER_BUSY, "the game is busy; send it again shortly", null));
            return;
        }
        try {
            logAndDeliver(connection, userId, text);
        } finally {
            gate.leave();
        }
    }

    private void logAndDeliver(ConnectionRecord connection, UUID userId, String text) {
        RoomChange change;
        try {
            change = rooms.chat(userId, text, clock.instant());
        } catch (RuntimeException e) {
            LOG.error("room line of user {} not persisted", userId, e);
            reply(connection, frames.error(ErrorCode.DB_UNAVAILABLE, "the game cannot save right now", null));
            return;
        }
        switch (change) {
            case RoomChange.Changed changed -> {
                RoomEvent line = changed.events().getFirst();
                reply(connection, frames.roomAck(line.roomId().toString(), line.roomSeq()));
                delivery.deliver(line.roomId());
            }
            case RoomChange.Refused(ErrorCode code, String message) -> reply(connection, frames.error(code, message, null));
        }
    }

    /** {@code room.react} (DSC-03): a reaction in the room's Discord channel; no answer when queued. */
    public void react(ConnectionRecord connection, String messageId, String emoji) {
        gesture(connection, WebSocketRoutes.ROOM_REACT, settings.reactionsPerSecond(), messageId, emoji);
    }

    /** {@code room.typing} (DSC-03): "typing…" in the room's Discord channel; no answer when queued. */
    public void typing(ConnectionRecord connection) {
        gesture(connection, WebSocketRoutes.ROOM_TYPING, settings.typingPerSecond(), null, null);
    }

    /**
     * Per-user and per-channel token buckets (Redis, shared by every Lambda container: Discord counts per channel,
     * whoever sends), then one outbox row. Every "no" is a structured {@code event.error}.
     */
    private void gesture(ConnectionRecord connection, String kind, int perSecond, @Nullable String messageId,
                         @Nullable String emoji) {
        if (!discord.enabled()) {
            reply(connection, frames.error(ErrorCode.NOT_FOUND, "Discord is not enabled on this server", null));
            return;
        }
        UUID userId = UUID.fromString(connection.userId());
        try {
            java.util.Optional<Room> room = rooms.findByMember(userId);
            if (room.isEmpty()) {
                reply(connection, frames.error(ErrorCode.NOT_FOUND, "you are not in a room", null));
                return;
            }
            long now = clock.millis();
            if (limiter.check("user:" + userId, kind, perSecond, now) == IntentRateLimiter.Decision.REFUSED) {
                reply(connection, frames.error(ErrorCode.RATE_LIMITED, "at most " + perSecond + " " + kind + " per second", null));
                return;
            }
            if (limiter.check("channel:" + room.get().id(), kind, perSecond, now) == IntentRateLimiter.Decision.REFUSED) {
                reply(connection, frames.error(ErrorCode.RATE_LIMITED,
                        "your room's channel takes at most " + perSecond + " " + kind + " per second", null));
                return;
            }
            if (!discord.gesture(room.get().id(), messageId, emoji)) {
                reply(connection, frames.error(ErrorCode.DISCORD_QUEUE_FULL,
                        "Discord has too much to catch up on; try again in a minute", null));
            }
        } catch (RuntimeException e) {
            LOG.error("{} of user {} not queued", kind, userId, e);
            reply(connection, frames.error(ErrorCode.DB_UNAVAILABLE, "the game cannot save right now", null));
        }
    }

    /**
     * {@code room.resume}: the events of the member's room after {@code roomSeq} that it was a member for, oldest
     * first, as many as fit one frame. Events delivered live meanwhile may repeat; the client keeps the highest
     * roomSeq it has seen and skips the rest.
     */
    public void resume(ConnectionRecord connection, @Nullable UUID roomId, @Nullable Long roomSeq) {
        UUID userId = UUID.fromString(connection.userId());
        long after = roomSeq == null ? 0 : roomSeq;
        String answer;
        try {
            answer = rooms.findByMember(userId).map(room -> {
                List<RoomEvent> missed = rooms.eventsFor(room.id(), userId, after, settings.resumeMaxEvents() + 1);
                return page(room.id(), room.lastSeq(), missed);
            }).orElseGet(() -> {
                // In no room now. The room it names may have been deleted (or left) while it was away: the events
                // it was a recipient of, room.deleted included, are still its to read; anyone else's room reads as
                // nothing, exactly like no room at all (RT-12).
                List<RoomEvent> missed = roomId == null ? List.of()
                        : rooms.eventsFor(roomId, userId, after, settings.resumeMaxEvents() + 1);
                if (missed.isEmpty()) {
                    return frames.roomResume(null, 0, List.of(), true);
                }
                return page(roomId, missed.getLast().roomSeq(), missed);
            });
        } catch (RuntimeException e) {
            LOG.error("room resume of user {} failed", userId, e);
            answer = frames.error(ErrorCode.DB_UNAVAILABLE, "the game cannot load right now", null);
        }
        reply(connection, answer);
    }

    /** As many of the missed events as fit in one frame; {@code complete} says whether that was all of them. */
    private String page(UUID roomId, long lastRoomSeq, List<RoomEvent> missed) {
        int count = Math.min(missed.size(), settings.resumeMaxEvents());
        while (true) {
            List<Map<String, Object>> events = new ArrayList<>(count);
            for (RoomEvent e : missed.subList(0, count)) {
                events.add(frames.roomEventFrame(e.type(), e.roomId().toString(), e.roomSeq(), e.at(), e.payload()));
            }
            String frame = frames.roomResume(roomId.toString(), lastRoomSeq, events, count == missed.size());
            if (count == 0 || frame.getBytes(StandardCharsets.UTF_8).length <= Frames.MAX_FRAME_BYTES) {
                return frame;
            }
            count /= 2;
        }
    }

    @Override
    public OptionalLong received(UUID roomId, String type, String source, Map<String, Object> payload) {
        if (!EXTERNAL_TYPES.contains(type)) {
            throw new IllegalArgumentException("not an event from outside: " + type);
        }
        return rooms.appendExternal(roomId, type, source, payload, clock.instant()).map(event -> {
            delivery.deliver(roomId);
            return OptionalLong.of(event.roomSeq());
        }).orElseGet(OptionalLong::empty);
    }

    private RoomOutcome gone(RoomChange change, UUID roomId) {
        return switch (change) {
            case RoomChange.Changed changed -> {
                delivered(changed);
                if (changed.room() == null) {
                    voice.roomDeleted(roomId);
                }
                yield new RoomOutcome.Gone();
            }
            case RoomChange.Refused(ErrorCode code, String message) -> new RoomOutcome.Refused(code, message);
        };
    }

    private void delivered(RoomChange.Changed changed) {
        delivery.deliver(changed.events().stream().map(RoomEvent::roomId).toList());
    }

    private void reply(ConnectionRecord connection, String frame) {
        outbox.send(connection.connectionId(), frame);
    }

    private static RoomOutcome notFound() {
        return new RoomOutcome.Refused(ErrorCode.NOT_FOUND, "no such room");
    }

    private static RoomOutcome noCharacter() {
        return new RoomOutcome.Refused(ErrorCode.NO_ACTIVE_CHARACTER, "select an active character first");
    }
}
