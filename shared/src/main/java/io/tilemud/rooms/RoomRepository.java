package io.tilemud.rooms;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Port over durable rooms (PostgreSQL in production, {@link JdbcRoomRepository}). Every change is one transaction that
 * locks the room, applies the change and appends its room events with the next roomSeq: an event is in the log
 * before anyone is told about it, and a refused change changes nothing.
 */
public interface RoomRepository {

    /** An open (not deleted) room. */
    Optional<Room> find(UUID roomId);

    /** The open room the user is a member of. */
    Optional<Room> findByMember(UUID userId);

    /** Creates a room with the user as owner and first member; {@code ALREADY_IN_ROOM} if it is in one. */
    RoomChange create(UUID roomId, UUID ownerId, UUID characterId, Instant now);

    /** {@code ROOM_FULL} at {@code capacity}, {@code ALREADY_IN_ROOM}, {@code INVITE_INVALID} when the room is gone. */
    RoomChange join(UUID roomId, UUID userId, UUID characterId, int capacity, Instant now);

    /**
     * The member leaves: the owner leaving hands ownership to the longest-standing member; the last one out deletes
     * the room. {@code NOT_FOUND} for a non-member.
     */
    RoomChange leave(UUID roomId, UUID userId, Instant now);

    /** Member activity without an event (e.g. a fresh invite); false for a non-member or a room that is gone. */
    boolean touch(UUID roomId, UUID userId, Instant now);

    /** The owner closes the room at once: {@code room.closing {inSeconds: 0}} then {@code room.deleted}. */
    RoomChange closeByOwner(UUID roomId, UUID userId, Instant now);

    /** A line from a member to its room; {@code NOT_FOUND} when the user is in none. */
    RoomChange chat(UUID userId, String text, Instant now);

    /** An event from outside ({@link ExternalRoomEvents}); empty when the room is gone. */
    Optional<RoomEvent> appendExternal(UUID roomId, String type, String source, Map<String, Object> payload, Instant now);

    /**
     * ROOM-04 step one: rooms without member activity since {@code idleSince} that are not closing yet are marked
     * closing and get {@code room.closing}. A room is marked by exactly one caller even with two janitors at once.
     */
    List<RoomEvent> warnIdle(Instant idleSince, int inSeconds, Instant now);

    /** ROOM-04 step two: rooms closing since {@code closingSince} or earlier are deleted with {@code room.deleted}. */
    List<RoomEvent> deleteClosed(Instant closingSince, Instant now);

    /** The events after {@code afterSeq} the user was a recipient of, oldest first, at most {@code limit}. */
    List<RoomEvent> eventsFor(UUID roomId, UUID userId, long afterSeq, int limit);

    /**
     * Hands the room's events not yet delivered to {@code deliver}, one at a time in roomSeq order with their
     * recipients' sockets, then records them delivered. One caller at a time per room (the others wait), so
     * deliveries never overtake each other.
     */
    void drain(UUID roomId, Consumer<LiveEvent> deliver);

}
