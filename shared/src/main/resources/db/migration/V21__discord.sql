-- Discord voice for rooms (REQUIREMENTS §4, DSC-01..04). The Lambdas never call Discord: they write commands to
-- discord_outbox in the same transaction as the room change; one relay (discord-relay) is its only consumer.

-- A player's linked Discord account (OAuth2 authorization code → /users/@me). Only linked members get the room role.
CREATE TABLE discord_links (
    user_id         UUID PRIMARY KEY REFERENCES users (id),
    -- One Discord account serves one player: a second link of the same account is refused.
    discord_user_id VARCHAR(32) NOT NULL UNIQUE,
    discord_name    VARCHAR(64) NOT NULL,
    linked_at       TIMESTAMPTZ NOT NULL
);

-- A room's Discord side: its role and private voice channel once the relay created them, and whether voice works.
CREATE TABLE discord_rooms (
    room_id    UUID PRIMARY KEY REFERENCES rooms (id),
    role_id    VARCHAR(32),
    channel_id VARCHAR(32) UNIQUE,
    -- PENDING (commands queued), READY, UNAVAILABLE (a command failed its retries), DELETED
    status     VARCHAR(16) NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Commands to Discord, applied in id order per room. PENDING rows count against the cap (1000, DISCORD_QUEUE_FULL).
CREATE TABLE discord_outbox (
    id         BIGSERIAL PRIMARY KEY,
    room_id    UUID NOT NULL REFERENCES rooms (id),
    kind       VARCHAR(32) NOT NULL,
    payload    JSONB NOT NULL,
    -- PENDING, DONE, FAILED (gave up after its retries; never retried again)
    status     VARCHAR(16) NOT NULL DEFAULT 'PENDING',
    attempts   INT NOT NULL DEFAULT 0,
    last_error VARCHAR(500),
    created_at TIMESTAMPTZ NOT NULL,
    done_at    TIMESTAMPTZ
);
CREATE INDEX discord_outbox_pending_idx ON discord_outbox (id) WHERE status = 'PENDING';
