package io.tilemud.realtime;

import io.tilemud.connection.ConnectionRecord;
import io.tilemud.connection.ConnectionRegistry;
import io.tilemud.connection.UserConnections;
import org.slf4j.LoggerFactory;
import io.tilemud.session.CacheUnavailableException;
import io.tilemud.session.SessionStore;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * A socket that is gone, whoever noticed first: {@code $disconnect}, or a post answered 410. Whichever removes the
 * registry entry also decides the session's fate, so the other finds nothing left and no session is stranded active.
 */
@Singleton
public class Departures {
    private final ConnectionRegistry registry;
    private final SessionStore sessions;
    private final RealtimeSettings settings;
    private final UserConnections userConnections;
    private final Clock clock;

    public Departures(ConnectionRegistry registry, SessionStore sessions, RealtimeSettings settings,
                      UserConnections userConnections, Clock clock) {
        this.registry = registry;
        this.userConnections = userConnections;
        this.sessions = sessions;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * An unexpected close keeps the session's slot in grace (ADM-18); a close after the inactivity period (API
     * Gateway's idle timeout) ends the session, so a later connect is a fresh one (RT-09).
     */
    public void gone(String connectionId) {
        // One DynamoDB call: the delete hands back the item it removed.
        registry.remove(connectionId).ifPresent(c -> {
            try {
                if (inactive(c, clock.instant())) {
                    sessions.release(c.sessionId(), "inactive", UUID.fromString(c.userId()));
                } else {
                    // Conditional on this socket: a reconnect may have taken the session to another one already.
                    sessions.enterGrace(c.sessionId(), c.connectionId());
                }
            } catch (CacheUnavailableException e) {
                // The janitor expires what a dead cache could not move to grace.
            }
            // After the session's fate, which a reconnect is waiting for.
            unbindUser(connectionId);
        });
    }

    /** Room events stop going to a closed socket (a newer socket of the same user keeps them). */
    public void unbindUser(String connectionId) {
        try {
            userConnections.unbound(connectionId);
        } catch (RuntimeException e) {
            // A stale entry costs one post answered 410 later, which lands here again.
            LoggerFactory.getLogger(Departures.class).warn("room delivery to {} not stopped: {}", connectionId, e.toString());
        }
    }

    /*
     * Activity is recorded at most once per touch interval T, so a connection's last frame came at or after its
     * recorded lastActiveAt r, but less than T after it. With I the inactivity period:
     */

    /**
     * A socket that closed was closed for idleness: API Gateway's idle timeout fires I after the last frame, when
     * r is at least I old. The verdict allows T of slack (the handler's clock, a cold start delaying the record),
     * so a drop after I - 2T to I - T without a frame may count as idle too: it ends the session instead of grace.
     */
    boolean inactive(ConnectionRecord connection, Instant now) {
        return recordedAtLeast(connection, now, settings.inactivitySeconds() - settings.touchIntervalSeconds());
    }

    /**
     * A socket still open has certainly gone I without a frame (r is at least I + T old), so closing it is never
     * early: it may be up to T late, and API Gateway closes idle sockets itself at I anyway.
     */
    boolean idleBeyondLimit(ConnectionRecord connection, Instant now) {
        return recordedAtLeast(connection, now, settings.inactivitySeconds() + settings.touchIntervalSeconds());
    }

    /** The recorded activity is at least {@code seconds} old. */
    private static boolean recordedAtLeast(ConnectionRecord connection, Instant now, long seconds) {
        return !connection.lastActiveAt().isAfter(now.minusSeconds(seconds));
    }
}
