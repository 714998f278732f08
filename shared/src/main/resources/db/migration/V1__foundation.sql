-- Durable state of TileMUD (REQUIREMENTS §1): users, characters, instances, action log, session audit.

CREATE TABLE users (
    id                  UUID PRIMARY KEY,
    -- The OIDC subject ("sub") of the issuer that authenticated the user: the only identity we store.
    subject             VARCHAR(255) NOT NULL UNIQUE,
    active_character_id UUID,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE characters (
    id         UUID PRIMARY KEY,
    user_id    UUID NOT NULL REFERENCES users (id),
    name       VARCHAR(24) NOT NULL CHECK (char_length(name) BETWEEN 3 AND 24),
    status     VARCHAR(16) NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED', 'BANNED')),
    x          INTEGER NOT NULL DEFAULT 0,
    y          INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- "Unique per user" is case-insensitive: Alice and alice would confuse the player.
CREATE UNIQUE INDEX characters_user_name_uq ON characters (user_id, lower(name));

ALTER TABLE users
    ADD CONSTRAINT users_active_character_fk FOREIGN KEY (active_character_id) REFERENCES characters (id);

CREATE TABLE instances (
    id         VARCHAR(64) PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
    capacity   INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 100000),
    build      VARCHAR(64) NOT NULL,
    state      VARCHAR(16) NOT NULL CHECK (state IN ('ACCEPTING', 'MAINTENANCE', 'DRAINING', 'STOPPED')),
    width      INTEGER NOT NULL DEFAULT 64 CHECK (width > 0),
    height     INTEGER NOT NULL DEFAULT 64 CHECK (height > 0),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every acknowledged state change, written in the same transaction as its effect (RT-04).
CREATE TABLE action_events (
    id           BIGSERIAL PRIMARY KEY,
    session_id   UUID NOT NULL,
    seq          BIGINT NOT NULL CHECK (seq > 0),
    character_id UUID NOT NULL REFERENCES characters (id),
    instance_id  VARCHAR(64) NOT NULL REFERENCES instances (id),
    kind         VARCHAR(32) NOT NULL,
    payload      JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Makes a replayed seq a no-op instead of a second application (RT-03).
    CONSTRAINT action_events_session_seq_uq UNIQUE (session_id, seq)
);
CREATE INDEX action_events_instance_id_idx ON action_events (instance_id, id);

CREATE TABLE session_audit (
    id           BIGSERIAL PRIMARY KEY,
    session_id   UUID NOT NULL,
    user_id      UUID NOT NULL,
    character_id UUID NOT NULL,
    instance_id  VARCHAR(64) NOT NULL,
    event        VARCHAR(32) NOT NULL,
    reason       VARCHAR(64),
    at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX session_audit_session_idx ON session_audit (session_id);
