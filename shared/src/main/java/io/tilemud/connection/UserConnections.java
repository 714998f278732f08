package io.tilemud.connection;

import java.time.Instant;
import java.util.UUID;

/**
 * Which game WebSocket a user is connected with now, so features beside the game (rooms) can reach the socket a
 * player already has: the room drain reads {@code user_connections} in its own statement
 * ({@code JdbcRoomRepository}). One socket per user: admission allows one session per user (ADM-09).
 *
 * <p>Best effort like the registry it mirrors: a socket that died without a {@code $disconnect} stays listed until a
 * post to it answers 410 or the user connects again.
 */
public interface UserConnections {

    /** The user's socket is now {@code connectionId} (replaces any earlier one). */
    void bound(UUID userId, String connectionId, Instant at);

    /** The socket closed; a newer socket of the same user is left alone. */
    void unbound(String connectionId);
}
