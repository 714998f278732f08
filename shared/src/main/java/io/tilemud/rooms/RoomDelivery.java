package io.tilemud.rooms;

import io.tilemud.connection.UserConnections;
import io.tilemud.realtime.Frames;
import io.tilemud.realtime.Outbox;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * ROOM-02 live delivery: a room's logged events go to its members' game WebSockets in roomSeq order. Whoever
 * changed the room drains it after the commit; one drainer per room at a time ({@link RoomRepository#drain}), so an
 * event never overtakes an earlier one. Posting to the members of one event is parallel ({@link Outbox#sendAll}),
 * and a slow or dead socket is the outbox's problem, not the room's.
 *
 * <p>Failure here loses nothing: the log has the events and a member's {@code room.resume} reads them.
 */
@Singleton
public class RoomDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(RoomDelivery.class);
    private final RoomRepository rooms;
    private final UserConnections connections;
    private final Outbox outbox;
    private final Frames frames;

    public RoomDelivery(RoomRepository rooms, UserConnections connections, Outbox outbox, Frames frames) {
        this.rooms = rooms;
        this.connections = connections;
        this.outbox = outbox;
        this.frames = frames;
    }

    /** Delivers whatever of these rooms' logs has not gone out yet. */
    public void deliver(Collection<UUID> roomIds) {
        roomIds.stream().distinct().forEach(this::deliver);
    }

    public void deliver(UUID roomId) {
        // Recipients rarely change within one drain: one lookup per distinct member list.
        Map<List<UUID>, Collection<String>> sockets = new HashMap<>();
        try {
            rooms.drain(roomId, event -> {
                Collection<String> to = sockets.computeIfAbsent(event.recipients(),
                        members -> connections.of(members).values());
                outbox.sendAll(to, frames.roomEvent(event.type(), event.roomId().toString(), event.roomSeq(),
                        event.at(), event.payload()));
            });
        } catch (RuntimeException e) {
            LOG.warn("events of room {} not delivered live (members resume them): {}", roomId, e.toString());
        }
    }
}
