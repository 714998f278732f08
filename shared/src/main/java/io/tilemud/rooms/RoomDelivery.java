package io.tilemud.rooms;

import io.tilemud.realtime.Frames;
import io.tilemud.realtime.Outbox;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
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
    private final Outbox outbox;
    private final Frames frames;

    public RoomDelivery(RoomRepository rooms, Outbox outbox, Frames frames) {
        this.rooms = rooms;
        this.outbox = outbox;
        this.frames = frames;
    }

    /** Delivers whatever of these rooms' logs has not gone out yet. */
    public void deliver(Collection<UUID> roomIds) {
        roomIds.stream().distinct().forEach(this::deliver);
    }

    public void deliver(UUID roomId) {
        try {
            // The drain reads each event with its recipients' sockets (user_connections) in the same statement.
            rooms.drain(roomId, live -> {
                RoomEvent event = live.event();
                outbox.sendAll(live.connectionIds(), frames.roomEvent(event.type(), event.roomId().toString(),
                        event.roomSeq(), event.at(), event.payload()));
            });
        } catch (RuntimeException e) {
            LOG.warn("events of room {} not delivered live (members resume them): {}", roomId, e.toString());
        }
    }
}
