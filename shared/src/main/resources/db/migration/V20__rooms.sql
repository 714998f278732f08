-- Rooms of four (REQUIREMENTS §4, ROOM-01..04): rooms, their members, and an append-only log of room events with a
-- per-room sequence number (roomSeq), written in the same transaction as the change it reports.

CREATE TABLE rooms (
    id               UUID PRIMARY KEY,
    owner_id         UUID NOT NULL REFERENCES users (id),
    -- The roomSeq of the newest event in room_events; every change locks this row, so roomSeq has no gaps.
    last_seq         BIGINT NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    -- Member activity (join, leave, chat, invite); the janitor closes rooms idle for an hour (ROOM-04).
    last_activity_at TIMESTAMPTZ NOT NULL,
    -- Set once by whoever warns the members first (janitor or owner): the conditional update is the lock.
    closing_at       TIMESTAMPTZ,
    deleted_at       TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX rooms_open_activity_idx ON rooms (last_activity_at) WHERE deleted_at IS NULL;

CREATE TABLE room_members (
    -- The primary key is the rule: a player is in at most one room.
    user_id      UUID PRIMARY KEY REFERENCES users (id),
    room_id      UUID NOT NULL REFERENCES rooms (id),
    character_id UUID NOT NULL REFERENCES characters (id),
    joined_at    TIMESTAMPTZ NOT NULL,
    -- Tie-break for "longest-standing member" when two joined in the same microsecond.
    joined_order BIGSERIAL NOT NULL
);
CREATE INDEX room_members_room_idx ON room_members (room_id, joined_at, joined_order);

CREATE TABLE room_events (
    room_id    UUID NOT NULL REFERENCES rooms (id),
    room_seq   BIGINT NOT NULL CHECK (room_seq > 0),
    type       VARCHAR(32) NOT NULL,
    payload    JSONB NOT NULL,
    -- The members when it happened: who gets it live and who may read it on resume.
    recipients UUID[] NOT NULL,
    -- "game", or the outside system it came from ("discord").
    source     VARCHAR(16) NOT NULL DEFAULT 'game',
    at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (room_id, room_seq)
);

CREATE FUNCTION room_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'room_events is append-only';
END
$$;
CREATE TRIGGER room_events_append_only BEFORE UPDATE OR DELETE ON room_events
    FOR EACH ROW EXECUTE FUNCTION room_events_append_only();

-- How far live delivery got, per room; its row lock makes one deliverer at a time post events in roomSeq order.
CREATE TABLE room_delivery (
    room_id       UUID PRIMARY KEY REFERENCES rooms (id),
    delivered_seq BIGINT NOT NULL DEFAULT 0
);

-- The game WebSocket a user is connected with: room events go over the socket a member already has. Kept in
-- PostgreSQL beside the members, so one query finds a room's sockets.
CREATE TABLE user_connections (
    user_id       UUID PRIMARY KEY REFERENCES users (id),
    connection_id VARCHAR(128) NOT NULL,
    connected_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX user_connections_connection_idx ON user_connections (connection_id);
