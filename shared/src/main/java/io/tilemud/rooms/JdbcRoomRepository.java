package io.tilemud.rooms;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.tilemud.error.ErrorCode;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@link RoomRepository} in PostgreSQL ({@code rooms}, {@code room_members}, {@code room_events},
 * {@code room_delivery}). Every change first locks its room's row ({@code SELECT … FOR UPDATE}), so changes to one
 * room are serialized — the join race, roomSeq without gaps — while different rooms never wait for each other.
 * The hot paths (issue 12) take as few round trips as they can: a room line is one call of the {@code room_chat}
 * function (V22), a drain one statement that locks, reads and advances, then the posts, then COMMIT.
 */
@Singleton
public class JdbcRoomRepository implements RoomRepository {
    private static final Argument<Map<String, Object>> PAYLOAD = Argument.mapOf(String.class, Object.class);
    private final DataSource dataSource;
    private final JsonMapper json;
    private final VoiceCommands voice;

    public JdbcRoomRepository(DataSource dataSource, JsonMapper json, VoiceCommands voice) {
        this.dataSource = dataSource;
        this.json = json;
        this.voice = voice;
    }

    /** The row lock of an open room, and what it holds. */
    private record Locked(UUID ownerId, long lastSeq, Instant closingAt) {
    }

    @Override
    @Transactional
    public Optional<Room> find(UUID roomId) {
        try {
            return load(dataSource.getConnection(), roomId);
        } catch (SQLException e) {
            throw new RoomStoreException(e);
        }
    }

    @Override
    @Transactional
    public Optional<Room> findByMember(UUID userId) {
        try {
            Connection c = dataSource.getConnection();
            Optional<UUID> roomId = roomOf(c, userId);
            return roomId.isEmpty() ? Optional.empty() : load(c, roomId.get());
        } catch (SQLException e) {
            throw new RoomStoreException(e);
        }
    }

    @Override
    @Transactional
    public RoomChange create(UUID roomId, UUID ownerId, UUID characterId, Instant now) {
        try {
            Connection c = dataSource.getConnection();
            if (roomOf(c, ownerId).isPresent()) {
                return new RoomChange.Refused(ErrorCode.ALREADY_IN_ROOM, "you are in a room already; leave it first");
            }
            if (voice.full()) {
                return queueFull();
            }
            update(c, "INSERT INTO rooms (id, owner_id, last_activity_at, created_at) VALUES (?, ?, ?, ?)",
                    roomId, ownerId, ts(now), ts(now));
            update(c, "INSERT INTO room_delivery (room_id) VALUES (?)", roomId);
            // A concurrent create or join by the same user lost the race to this insert's primary key.
            if (update(c, """
                    INSERT INTO room_members (user_id, room_id, character_id, joined_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (user_id) DO NOTHING""", ownerId, roomId, characterId, ts(now)) == 0) {
                // Undone by hand rather than by an exception: losing the race is a normal "no".
                update(c, "DELETE FROM room_delivery WHERE room_id = ?", roomId);
                update(c, "DELETE FROM rooms WHERE id = ?", roomId);
                return new RoomChange.Refused(ErrorCode.ALREADY_IN_ROOM, "you are in a room already; leave it first");
            }
            Locked room = lock(c, roomId).orElseThrow();
            Room created = load(c, roomId).orElseThrow();
            RoomEvent joined = append(c, roomId, room.lastSeq(), RoomEvent.MEMBER_JOINED,
                    Map.of("member", memberFields(created.members().getFirst())), members(created), now);
            voice.roomCreated(roomId, ownerId);
            return new RoomChange.Changed(load(c, roomId).orElseThrow(), List.of(joined));
        } catch (SQLException e) {
            throw new RoomStoreException(e);
        }
    }

    @Override
    @Transactional
    public RoomChange join(UUID roomId, UUID userId, UUID characterId, int capacity, Instant now) {
        try {
            Connection c = dataSource.getConnection();
            Optional<Locked> locked = lock(c, roomId);
            if (locked.isEmpty()) {
                return new RoomChange.Refused(ErrorCode.INVITE_INVALID, "the room of this invite is gone");
            }
            Optional<UUID> current = roomOf(c, userId);
            if (current.isPresent()) {
                return new RoomChange.Refused(ErrorCode.ALREADY_IN_ROOM, current.get().equals(roomId)
                        ? "you are in this room already" : "you are in a room already; leave it first");
            }
            if (locked.get().closingAt() != null) {
                return new RoomChange.Refused(ErrorCode.INVITE_INVALID, "the room of this invite is closing");
            }
            // Counted under the room's row lock: ten racing joins for three places see 1, 2, 3, then full.
            if (count(c, roomId) >= capacity) {
                return new RoomChange.Refused(ErrorCode.ROOM_FULL, "the room has " + capacity + " members already");
            }
            if (voice.full()) {
                return queueFull();
            }
            if (update(c, """
                    INSERT INTO room_members (user_id, room_id, character_id, joined_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (user_id) DO NOTHING""", userId, roomId, characterId, ts(now)) == 0) {
                return new RoomChange.Refused(ErrorCode.ALREADY_IN_ROOM, "you are in a room already; leave it first");
            }
            Room room = load(c, roomId).orElseThrow();
            RoomMember member = room.members().stream().filter(m -> m.userId().equals(userId)).findFirst().orElseThrow();
            RoomEvent joined = append(c, roomId, locked.get().lastSeq(), RoomEvent.MEMBER_JOINED,
                    Map.of("member", memberFields(member)), members(room), now);
            voice.memberJoined(roomId, userId);
            return new RoomChange.Changed(load(c, roomId).orElseThrow(), List.of(joined));
        } catch (SQLException e) {
            throw new RoomStoreException(e);
        }
    }

    @Override
    @Transactional
    public RoomChange leave(UUID roomId, UUID userId, Instant now) {
        try {
            Connection c = dataSource.getConnection();
            Optional<Locked> locked = lock(c, roomId);
            Optional<Room> before = locked.isEmpty() ? Optional.empty() : load(c, roomId);
            if (before.isEmpty() || !before.get().hasMember(userId)) {
                return notFound();
            }
            List<UUID> recipients = members(before.get());
            update(c, "DELETE FROM room_members WHERE user_id = ? AND room_id = ?", userId, roomId);
            List<RoomMember> rest = before.get().members().stream().filter(m -> !m.userId().equals(userId)).toList();
            long seq = locked.get().lastSeq();
            List<RoomEvent> events = new ArrayList<>();
            Map<String, Object> left = new LinkedHashMap<>();
            left.put("userId", userId.toString());
            if (rest.isEmpty()) {
                events.add(append(c, roomId, seq, RoomEvent.MEMBER_LEFT, left, recipients, now));
                events.add(append(c, roomId, seq + 1, RoomEvent.ROOM_DELETED, Map.of("reason", "EMPTY"), recipients, now));
                update(c, "UPDATE rooms SET deleted_at = ? WHERE id = ?", ts(now), roomId);
                voice.roomDeleted(roomId);
                return new RoomChange.Changed(null, events);
            }
            UUID owner = locked.get().ownerId();
            if (owner.equals(userId)) {
                // The longest-standing member: members are loaded in join order.
                owner = rest.getFirst().userId();
                update(c, "UPDATE rooms SET owner_id = ? WHERE id = ?", owner, roomId);
            }
            left.put("ownerId", owner.toString());
            events.add(append(c, roomId, seq, RoomEvent.MEMBER_LEFT, left, recipients, now));
            voice.memberLeft(roomId, userId);
            return new RoomChange.Changed(load(c, roomId).orElseThrow(), events);
        } catch (SQLException e) {
            throw new RoomStoreException(e);
        }
    }

    @Override
    @Transactional
    public boolean touch(UUID roomId, UUID userId, Instant now) {
        try {
            return update(dataSource.getConnection(), """
                    UPDATE rooms SET last_activity_at = greatest(last_activity_at, ?), closing_at = NULL
                    WHERE id = ? AND deleted_at IS NULL
                      AND EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = rooms.id AND m.user_id = ?)""",
                    ts(now), roomId, userId) == 1;
        } catch (SQLException e) {
            throw new RoomStoreException(e);
        }
    }

    @Override
    @Transactional
    public RoomChange closeByOwner(UUID roomId, UUID userId, Instant now) {
        try {
            Connection c = dataSource.getConnection();
            Optional<Locked> locked = lock(c, roomId);
            Optional<Room> room = locked.isEmpty() ? Optional.empty() : load(c, roomId);
            if (room.isEmpty() || !room.get().hasMember(userId)) {
                return notFound();
            }
            if (!locked.get().ownerId().equals(userId)) {
                return new RoomChange.Refused(ErrorCode.FORBIDDEN, "only the room's owner can close it");
            }
            return new RoomChange.Changed(null, close(c, room.get(), locked.get(), "OWNER", now));
        } catch (SQLException e) {
            throw new RoomStoreException(e);
        }
    }

    @Override
    @Transactional
    public RoomChange chat(UUID userId, String text, Instant now) {
        try {
            Connection c = dataSource.getConnection();
            // Asked before the room lock rather than under it: the cap is read, not locked, either way
            // (JdbcDiscordOutbox); without Discord it costs nothing. room_chat still answers NOT_FOUND first.
            boolean queueFull = voice.full();
            RoomChange change = chatLine(c, userId, text, now, queueFull);
            if (change instanceof RoomChange.Changed changed) {
                // Same transaction as the line: the Discord command is queued exactly when the line commits.
                voice.chat(changed.room().id(), (String) changed.events().getFirst().payload().get("name"), text);
            }
            return change;
        } catch (SQLException e) {
            throw new RoomStoreException(e);
        }
    }

    /**
     * The line in one call of {@code room_chat} (V22): room lookup, row lock, membership re-check under the lock,
     * event insert and roomSeq bump in one round trip, so the room's lock is held for one round trip, not five.
     */
    private RoomChange chatLine(Connection c, UUID userId, String text, Instant now, boolean queueFull)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("""
                SELECT refusal, room_id, owner_id, room_seq, last_activity_at,
                       member_ids, member_characters, member_names, member_joined
                FROM room_chat(?, ?, ?, ?)""")) {
            s.setObject(1, userId);
            s.setString(2, text);
            // Typed (timestamptz), not setTimestamp: a parameter of unspecified type makes the driver describe the
            // statement first, and a described statement with an unbounded result is never pipelined — BEGIN would
            // go in a round trip of its own.
            s.setObject(3, now.atOffset(ZoneOffset.UTC));
            s.setBoolean(4, queueFull);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                String refusal = rs.getString(1);
                if (refusal != null) {
                    return switch (refusal) {
                        case "NOT_FOUND" -> new RoomChange.Refused(ErrorCode.NOT_FOUND, "you are not in a room");
                        case "DISCORD_QUEUE_FULL" -> queueFull();
                        default -> throw new IllegalStateException("room_chat refused with " + refusal);
                    };
                }
                UUID roomId = rs.getObject(2, UUID.class);
                List<RoomMember> members = members(rs.getArray(6), rs.getArray(7), rs.getArray(8), rs.getArray(9));
                Room room = new Room(roomId, rs.getObject(3, UUID.class), members, rs.getLong(4),
                        rs.getTimestamp(5).toInstant(), null);
                RoomMember me = members.stream().filter(m -> m.userId().equals(userId)).findFirst().orElseThrow();
                // The payload room_chat stored (the live frames are read back from the log; this one is the ack's).
                Map<String, Object> line = new LinkedHashMap<>(memberFields(me));
                line.put("text", text);
                RoomEvent event = new RoomEvent(roomId, room.lastSeq(), RoomEvent.CHAT_MESSAGE, now, line,
                        members(room), RoomEvent.SOURCE_GAME);
                return new RoomChange.Changed(room, List.of(event));
            }
        }
    }

    /** Members from room_chat's parallel arrays (one element per member, longest-standing first). */
    private static List<RoomMember> members(Array ids, Array characters, Array names, Array joined)
            throws SQLException {
        Object[] i = (Object[]) ids.getArray();
        Object[] ch = (Object[]) characters.getArray();
        Object[] n = (Object[]) names.getArray();
        Object[] j = (Object[]) joined.getArray();
        List<RoomMember> members = new ArrayList<>(i.length);
        for (int k = 0; k < i.length; k++) {
            members.add(new RoomMember((UUID) i[k], (UUID) ch[k], (String) n[k], ((Timestamp) j[k]).toInstant()));
        }
        return members;
    }

    @Override
    @Transactional
    public Optional<RoomEvent> appendExternal(UUID roomId, String type, String source, Map<String, Object> payload,
                                              Instant now) {
        try {
            Connection c = dataSource.getConnection();
            Optional<Locked> locked = lock(c, roomId);
            if (locked.isEmpty()) {
                return Optional.empty();
            }
            Room room = load(c, roomId).orElseThrow();
            return Optional.of(append(c, roomId, locked.get().lastSeq(), type, source, payload, members(room), now));
        } catch (SQLException e) {
            throw new RoomStoreException(e);
        }
    }

    @Override
    @Transactional
    public List<RoomEvent> warnIdle(Instant idleSince, int inSeconds, Instant now) {
        try {
            Connection c = dataSource.getConnection();
            List<RoomEvent> events = new ArrayList<>();
            for (UUID roomId : ids(c, """
                    SELECT id FROM rooms WHERE deleted_at IS NULL AND closing_at IS NULL AND last_activity_at <= ?
                    ORDER BY last_activity_at LIMIT 500 FOR UPDATE SKIP LOCKED""", ts(idleSince))) {
                // SKIP LOCKED: a second janitor takes other rooms (or none) instead of warning these twice; the
                // conditional update is the guard should a row be read unlocked anyway.
                if (update(c, "UPDATE rooms SET closing_at = ? WHERE id = ? AND closing_at IS NULL", ts(now), roomId) == 1) {
                    Locked locked = lock(c, roomId).orElseThrow();
                    Room room = load(c, roomId).orElseThrow();
                    events.add(append(c, roomId, locked.lastSeq(), RoomEvent.ROOM_CLOSING,
                            Map.of("inSeconds", inSeconds, "reason", "IDLE"), members(room), now));
                }
            }
            return events;
        } catch (SQLException e) {
            throw new RoomStoreException(e);
        }
    }

    @Override
    @Transactional
    public List<RoomEvent> deleteClosed(Instant closingSince, Instant now) {
        try {
            Connection c = dataSource.getConnection();
            List<RoomEvent> events = new ArrayList<>();
            for (UUID roomId : ids(c, """
                    SELECT id FROM rooms WHERE deleted_at IS NULL AND closing_at IS NOT NULL AND closing_at <= ?
                    ORDER BY closing_at LIMIT 500 FOR UPDATE SKIP LOCKED""", ts(closingSince))) {
                Locked locked = lock(c, roomId).orElseThrow();
                Room room = load(c, roomId).orElseThrow();
                events.addAll(deleteNow(c, room, locked.lastSeq(), "IDLE", now));
            }
            return events;
        } catch (SQLException e) {
            throw new RoomStoreException(e);
        }
    }

    @Override
    @Transactional
    public List<RoomEvent> eventsFor(UUID roomId, UUID userId, long afterSeq, int limit) {
        try {
            Connection c = dataSource.getConnection();
            try (PreparedStatement s = c.prepareStatement(EVENT_COLUMNS
                    + " WHERE room_id = ? AND room_seq > ? AND ? = ANY (recipients) ORDER BY room_seq LIMIT ?")) {
                s.setObject(1, roomId);
                s.setLong(2, afterSeq);
                s.setObject(3, userId);
                s.setInt(4, limit);
                return events(s);
            }
        } catch (SQLException e) {
            throw new RoomStoreException(e);
        }
    }

    @Override
    @Transactional
    public void drain(UUID roomId, Consumer<LiveEvent> deliver) {
        try {
            // Posted while the row lock is held: the next deliverer of this room starts after this one's last post.
            // delivered_seq is already advanced, but only the COMMIT after the posts makes it so: should a post throw,
            // the transaction rolls back and the next drain delivers these events again (clients skip repeats).
            for (LiveEvent live : claimPending(dataSource.getConnection(), roomId)) {
                deliver.accept(live);
            }
        } catch (SQLException e) {
            throw new RoomStoreException(e);
        }
    }

    /**
     * One statement: the room_delivery row lock (the one-deliverer-per-room rule), the events after its
     * delivered_seq with each event's recipients' sockets, and delivered_seq moved past them.
     *
     * <p>After waiting for the lock, delivered_seq is the committed value (FOR UPDATE re-reads the locked row, and
     * the UPDATE re-finds that same row version), while events and sockets come from the snapshot taken before the
     * wait. That is enough: an event committed during the wait is drained by its own writer afterwards, and an event
     * this snapshot sees was committed before any socket bound after it, so that socket's {@code room.resume} reads
     * the event anyway. Visible events have no gaps (each was committed under the room lock before the next was
     * appended), so the posts cover delivered_seq + 1 … n exactly.
     */
    private List<LiveEvent> claimPending(Connection c, UUID roomId) throws SQLException {
        List<LiveEvent> pending = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                WITH delivery AS (SELECT delivered_seq FROM room_delivery WHERE room_id = ? FOR UPDATE),
                pending AS (
                    SELECT e.* FROM delivery d JOIN room_events e ON e.room_id = ? AND e.room_seq > d.delivered_seq
                    ORDER BY e.room_seq LIMIT 1000),
                advanced AS (
                    UPDATE room_delivery SET delivered_seq = (SELECT max(p.room_seq) FROM pending p)
                    WHERE room_id = ? AND EXISTS (SELECT 1 FROM pending))
                SELECT p.room_id, p.room_seq, p.type, p.payload::text, p.recipients, p.source, p.at,
                       ARRAY(SELECT uc.connection_id FROM user_connections uc WHERE uc.user_id = ANY (p.recipients))
                FROM pending p ORDER BY p.room_seq""")) {
            s.setObject(1, roomId);
            s.setObject(2, roomId);
            s.setObject(3, roomId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    List<String> sockets = Arrays.stream((Object[]) rs.getArray(8).getArray())
                            .map(o -> (String) o).toList();
                    pending.add(new LiveEvent(event(rs), sockets));
                }
            }
        }
        return pending;
    }

    /** Warns and deletes at once (owner close): members still see the warning before the deletion. */
    private List<RoomEvent> close(Connection c, Room room, Locked locked, String reason, Instant now) throws SQLException {
        long seq = locked.lastSeq();
        List<RoomEvent> events = new ArrayList<>();
        if (locked.closingAt() == null) {
            update(c, "UPDATE rooms SET closing_at = ? WHERE id = ?", ts(now), room.id());
            events.add(append(c, room.id(), seq++, RoomEvent.ROOM_CLOSING, Map.of("inSeconds", 0, "reason", reason),
                    members(room), now));
        }
        events.addAll(deleteNow(c, room, seq, reason, now));
        return events;
    }

    private List<RoomEvent> deleteNow(Connection c, Room room, long lastSeq, String reason, Instant now)
            throws SQLException {
        RoomEvent deleted = append(c, room.id(), lastSeq, RoomEvent.ROOM_DELETED, Map.of("reason", reason),
                members(room), now);
        update(c, "DELETE FROM room_members WHERE room_id = ?", room.id());
        update(c, "UPDATE rooms SET deleted_at = ? WHERE id = ?", ts(now), room.id());
        voice.roomDeleted(room.id());
        return List.of(deleted);
    }

    private RoomEvent append(Connection c, UUID roomId, long lastSeq, String type, Map<String, Object> payload,
                             List<UUID> recipients, Instant now) throws SQLException {
        return append(c, roomId, lastSeq, type, RoomEvent.SOURCE_GAME, payload, recipients, now);
    }

    /** The next event after {@code lastSeq}; the caller holds the room's row lock, so nobody else appends meanwhile. */
    private RoomEvent append(Connection c, UUID roomId, long lastSeq, String type, String source,
                             Map<String, Object> payload, List<UUID> recipients, Instant now) throws SQLException {
        long seq = lastSeq + 1;
        try (PreparedStatement s = c.prepareStatement("""
                INSERT INTO room_events (room_id, room_seq, type, payload, recipients, source, at)
                VALUES (?, ?, ?, ?::jsonb, ?, ?, ?)""")) {
            s.setObject(1, roomId);
            s.setLong(2, seq);
            s.setString(3, type);
            s.setString(4, write(payload));
            s.setArray(5, c.createArrayOf("uuid", recipients.toArray()));
            s.setString(6, source);
            s.setTimestamp(7, ts(now));
            s.executeUpdate();
        }
        // Every event is member activity except the janitor's own (closing, deleting). Activity during an idle
        // warning calls the close off (closing_at cleared: deleteClosed skips the room, and a later idle hour warns
        // again); an owner's close deletes in the same transaction, so nothing can call that one off.
        boolean activity = !type.equals(RoomEvent.ROOM_CLOSING) && !type.equals(RoomEvent.ROOM_DELETED);
        if (activity) {
            update(c, """
                    UPDATE rooms SET last_seq = ?, last_activity_at = greatest(last_activity_at, ?), closing_at = NULL
                    WHERE id = ?""", seq, ts(now), roomId);
        } else {
            update(c, "UPDATE rooms SET last_seq = ? WHERE id = ?", seq, roomId);
        }
        return new RoomEvent(roomId, seq, type, now, payload, recipients, source);
    }

    private static final String EVENT_COLUMNS =
            "SELECT room_id, room_seq, type, payload::text, recipients, source, at FROM room_events";

    private List<RoomEvent> events(PreparedStatement s) throws SQLException {
        List<RoomEvent> events = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                events.add(event(rs));
            }
        }
        return events;
    }

    /** The current row, in {@link #EVENT_COLUMNS} order. */
    private RoomEvent event(ResultSet rs) throws SQLException {
        Array recipients = rs.getArray(5);
        return new RoomEvent(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3),
                rs.getTimestamp(7).toInstant(), read(rs.getString(4)),
                Arrays.stream((Object[]) recipients.getArray()).map(o -> (UUID) o).toList(), rs.getString(6));
    }

    private Optional<Locked> lock(Connection c, UUID roomId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT owner_id, last_seq, closing_at FROM rooms WHERE id = ? AND deleted_at IS NULL FOR UPDATE")) {
            s.setObject(1, roomId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp closing = rs.getTimestamp(3);
                return Optional.of(new Locked(rs.getObject(1, UUID.class), rs.getLong(2),
                        closing == null ? null : closing.toInstant()));
            }
        }
    }

    private static Optional<Room> load(Connection c, UUID roomId) throws SQLException {
        UUID owner;
        long lastSeq;
        Instant activity;
        Timestamp closing;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT owner_id, last_seq, last_activity_at, closing_at FROM rooms WHERE id = ? AND deleted_at IS NULL")) {
            s.setObject(1, roomId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                owner = rs.getObject(1, UUID.class);
                lastSeq = rs.getLong(2);
                activity = rs.getTimestamp(3).toInstant();
                closing = rs.getTimestamp(4);
            }
        }
        List<RoomMember> members = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT m.user_id, m.character_id, ch.name, m.joined_at FROM room_members m
                JOIN characters ch ON ch.id = m.character_id
                WHERE m.room_id = ? ORDER BY m.joined_at, m.joined_order""")) {
            s.setObject(1, roomId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    members.add(new RoomMember(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getTimestamp(4).toInstant()));
                }
            }
        }
        return Optional.of(new Room(roomId, owner, members, lastSeq, activity, closing == null ? null : closing.toInstant()));
    }

    private static Optional<UUID> roomOf(Connection c, UUID userId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT room_id FROM room_members WHERE user_id = ?")) {
            s.setObject(1, userId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    private static int count(Connection c, UUID roomId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM room_members WHERE room_id = ?")) {
            s.setObject(1, roomId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static List<UUID> ids(Connection c, String sql, Object... args) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
    }

    private static Map<String, Object> memberFields(RoomMember member) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("userId", member.userId().toString());
        fields.put("characterId", member.characterId().toString());
        fields.put("name", member.name());
        return fields;
    }

    private static List<UUID> members(Room room) {
        return room.members().stream().map(RoomMember::userId).toList();
    }

    private static RoomChange queueFull() {
        return new RoomChange.Refused(ErrorCode.DISCORD_QUEUE_FULL,
                "Discord has too much to catch up on; try again in a minute");
    }

    private static RoomChange notFound() {
        // A room the caller is not in looks exactly like a missing one (RT-12).
        return new RoomChange.Refused(ErrorCode.NOT_FOUND, "no such room");
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private String write(Map<String, Object> payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> read(String payload) {
        try {
            return json.readValue(payload, PAYLOAD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
