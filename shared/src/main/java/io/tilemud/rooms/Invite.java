package io.tilemud.rooms;

import java.time.Instant;
import java.util.Objects;

/** A signed invite token (ROOM-01) and when it stops working. */
public record Invite(String token, Instant expiresAt) {
    public Invite {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
