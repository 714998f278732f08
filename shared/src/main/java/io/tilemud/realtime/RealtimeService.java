package io.tilemud.realtime;

import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import io.tilemud.connection.ConnectionRecord;
import io.tilemud.connection.ConnectionRegistry;
import io.tilemud.connection.UserConnections;
import io.tilemud.contract.MetricNames;
import io.tilemud.database.DatabaseFailures;
import io.tilemud.error.ErrorCode;
import io.tilemud.rooms.RoomService;
import io.tilemud.instance.GameInstance;
import io.tilemud.instance.InstanceService;
import io.tilemud.ops.metrics.RealtimeMetrics;
import io.tilemud.session.CacheUnavailableException;
import io.tilemud.session.Session;
import io.tilemud.session.SessionSettings;
import io.tilemud.session.SessionState;
import io.tilemud.session.SessionStore;
import io.tilemud.session.SessionTransition;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The realtime session (RT-01, RT-03..RT-05, RT-08): binds WebSockets to admitted sessions, applies intents durably
 * before acknowledging them, and shows accepted changes to the players in view.
 *
 * <p>Intents read only the connection registry (DynamoDB) and PostgreSQL, never Redis, so gameplay goes on while
 * the cache is down.
 */
@Singleton
public class RealtimeService {
    private static final Logger LOG = LoggerFactory.getLogger(RealtimeService.class);
    private final SessionStore sessions;
    private final ConnectionRegistry registry;
    private final ActionLog actions;
    private final View view;
    private final Resumption resumption;
    private final BeanProvider<ClientMessenger> messenger;
    private final Outbox outbox;
    private final Departures departures;
    private final Frames frames;
    private final ClientFrameParser parser;
    private final RealtimeSettings settings;
    private final SessionSettings sessionSettings;
    private final InstanceService instances;
    private final IntentRateLimiter limiter;
    private final UserConnections userConnections;
    private final RoomService rooms;
    private final IntentGate gate;
    private final Clock clock;
    private final RealtimeMetrics metrics;

    public RealtimeService(SessionStore sessions, ConnectionRegistry registry, ActionLog actions, View view,
                           Resumption resumption, BeanProvider<ClientMessenger> messenger, Outbox outbox, Departures departures, Frames frames,
                           ClientFrameParser parser, RealtimeSettings settings, SessionSettings sessionSettings,
                           InstanceService instances, IntentRateLimiter limiter, UserConnections userConnections,
                           RoomService rooms, IntentGate gate, Clock clock, RealtimeMetrics metrics) {
        this.metrics = metrics;
        this.sessions = sessions;
        this.registry = registry;
        this.actions = actions;
        this.view = view;
        this.resumption = resumption;
        this.messenger = messenger;
        this.outbox = outbox;
        this.departures = departures;
        this.frames = frames;
        this.parser = parser;
        this.settings = settings;
        this.sessionSettings = sessionSettings;
        this.instances = instances;
        this.limiter = limiter;
        this.userConnections = userConnections;
        this.rooms = rooms;
        this.gate = gate;
        this.clock = clock;
    }

    /**
     * Binds {@code connectionId} to the user's admitted session: a pending one becomes active, a session in grace is
     * restored with its single-use reconnection token. Anything else is refused and changes nothing.
     *
     * @param lastSeq the last seq the client saw acknowledged, for its {@code resume} (RT-06); may be null
     */
    public ConnectResult connect(String connectionId, UUID userId, String sessionId, String reconnectionToken,
                                 @Nullable Long lastSeq) {
        if (sessionId == null || sessionId.isBlank()) {
            return new ConnectResult.Refused(ErrorCode.BAD_REQUEST, "sessionId is required");
        }
        Optional<Session> found;
        try {
            found = sessions.find(sessionId);
        } catch (CacheUnavailableException e) {
            return new ConnectResult.Refused(ErrorCode.SERVICE_DEGRADED, "sessions cannot be checked right now");
        }
        if (found.isEmpty() || !found.get().userId().equals(userId)) {
            // Another user's session looks exactly like a missing one (RT-12).
            return new ConnectResult.Refused(ErrorCode.NOT_FOUND, "no such session");
        }
        boolean reconnecting = reconnectionToken != null && !reconnectionToken.isBlank();
        if (!reconnecting && found.get().state() != SessionState.PENDING) {
            return new ConnectResult.Refused(ErrorCode.ALREADY_IN_SESSION, "session is " + found.get().state());
        }
        // What the client missed starts when the session entered grace (RT-06).
        Instant graceSince = found.get().graceExpiresAt() == null ? null
                : found.get().graceExpiresAt().minusSeconds(sessionSettings.graceSeconds());
        if (reconnecting && graceSince == null) {
            // Taking an active session over before its old socket's $disconnect arrived: a resume all the same,
            // missing whatever happened since the drop (Resumption reaches back resumeOverlapSeconds before this).
            graceSince = clock.instant();
        }
        // Read before the session moves: a database outage then refuses the handshake with nothing changed, instead
        // of leaving the session active behind a socket that never opened (issue 11).
        // Admission is lockstep (ADM-06): the client runs the build its instance runs now. Remembering it lets a
        // later build change find the clients left behind (RT-10).
        String build;
        try {
            build = instances.find(found.get().instanceId()).map(GameInstance::build).orElse("");
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                return new ConnectResult.Refused(ErrorCode.DB_UNAVAILABLE, "the game cannot load right now");
            }
            throw e;
        }
        SessionTransition transition = reconnecting ? sessions.reconnect(sessionId, reconnectionToken, connectionId)
                : sessions.activate(sessionId, connectionId);
        return switch (transition) {
            case SessionTransition.Done(Session session, String previousConnection) -> {
                if (previousConnection != null && !previousConnection.equals(connectionId)) {
                    takenOver(previousConnection);
                }
                Instant now = clock.instant();
                registry.register(ConnectionRecord.connected(connectionId, session.sessionId(), userId.toString(),
                        session.characterId().toString(), session.instanceId(), build, now,
                        now.plusSeconds(settings.connectionTtlSeconds())).withResume(reconnecting ? graceSince : null, lastSeq));
                if (!stillInLedger(session.sessionId())) {
                    // The cache was lost between the activation above and the durable write: a rebuild in between
                    // restored the ledger without this session (it was not in the registry yet), so the character
                    // could be admitted elsewhere. Refused, the socket never plays; the client admits again.
                    registry.remove(connectionId);
                    yield new ConnectResult.Refused(ErrorCode.SERVICE_DEGRADED, "sessions were reset; connect again");
                }
                bindUser(userId, connectionId, now);
                yield new ConnectResult.Connected(session);
            }
            case SessionTransition.Missing() -> new ConnectResult.Refused(ErrorCode.NOT_FOUND, "no such session");
            case SessionTransition.Refused(SessionState state) ->
                    new ConnectResult.Refused(ErrorCode.NOT_AUTHENTICATED, "session cannot be resumed (" + state + ")");
            case SessionTransition.Unavailable() ->
                    new ConnectResult.Refused(ErrorCode.SERVICE_DEGRADED, "sessions cannot be checked right now");
        };
    }

    /**
     * A reconnect took the session from a socket whose {@code $disconnect} had not arrived (it can lag by seconds):
     * that socket is unregistered first, so its late {@code $disconnect} finds nothing to act on, then told the session
     * went elsewhere and closed — what replacement does (ADM-09).
     */
    private void takenOver(String staleConnectionId) {
        if (registry.remove(staleConnectionId).isPresent()) {
            outbox.send(staleConnectionId, frames.sessionReplaced());
            outbox.close(staleConnectionId);
        }
    }

    /**
     * RT-10: clients connected with another build than the instance now runs get {@code event.version_mismatch},
     * lose their session (slot freed, queue promoted) and are disconnected.
     *
     * @return how many connections were closed
     */
    public int disconnectOutdated(GameInstance instance) {
        if (!messenger.isPresent()) {
            return 0;
        }
        int closed = 0;
        for (ConnectionRecord connection : registry.findByInstance(instance.id())) {
            if (connection.build().equals(instance.build())) {
                continue;
            }
            end(connection, "version", frames.versionMismatch(instance.build()));
            closed++;
        }
        return closed;
    }

    /**
     * RT-09: connections without a client frame for the inactivity period lose their session and are closed. API
     * Gateway closes idle sockets itself ({@link #disconnected}); this catches those whose {@code $disconnect} never
     * came (it is best effort) and idle timeouts longer than ours.
     *
     * @return how many connections were ended
     */
    public int endInactive(GameInstance instance) {
        if (!messenger.isPresent()) {
            return 0;
        }
        int ended = 0;
        for (ConnectionRecord connection : registry.findByInstance(instance.id())) {
            if (departures.idleBeyondLimit(connection, clock.instant())) {
                end(connection, "inactive", frames.sessionEnded("INACTIVE"));
                ended++;
            }
        }
        return ended;
    }

    /** A closed socket (after {@code intent.leave} the connection is already gone). */
    public void disconnected(String connectionId) {
        departures.gone(connectionId);
    }

    /** One client frame. Every reply, ack or error, goes back over the same connection. */
    public void message(String connectionId, String body) {
        long received = System.nanoTime();
        Optional<ConnectionRecord> found;
        try {
            found = registry.find(connectionId);
        } catch (RuntimeException e) {
            LOG.warn("connection {} could not be looked up: {}", connectionId, e.toString());
            metrics.failedUnread();
            reply(connectionId, frames.error(ErrorCode.SERVICE_DEGRADED, "the game cannot check your connection right now", null));
            return;
        }
        if (found.isEmpty()) {
            reply(connectionId, frames.error(ErrorCode.NOT_AUTHENTICATED, "connection is not bound to a session", null));
            return;
        }
        ConnectionRecord connection = found.get();
        Instant now = clock.instant();
        ClientFrame frame = parser.parse(body);
        switch (frame) {
            case ClientFrame.Ping() -> reply(connectionId, frames.pong());
            case ClientFrame.Leave() -> end(connection, "leave", null);
            case ClientFrame.Resume(Long lastSeq) -> resume(connection, lastSeq);
            case ClientFrame.Invalid(ErrorCode code, String message, Long seq) -> reply(connectionId, frames.error(code, message, seq));
            case ClientFrame.StateChange(Intent intent) -> apply(connection, intent, received);
            case ClientFrame.RoomChat(String text) -> rooms.chat(connection, text);
            case ClientFrame.RoomReact(String messageId, String emoji) -> rooms.react(connection, messageId, emoji);
            case ClientFrame.RoomTyping() -> rooms.typing(connection);
            case ClientFrame.RoomResume(Long roomSeq, java.util.UUID roomId) -> rooms.resume(connection, roomId, roomSeq);
        }
        // After the answer, not before: the registry write (one in touch-interval frames) no longer delays that
        // frame's ack. A leave has removed the connection already.
        if (!(frame instanceof ClientFrame.Leave)
                && !connection.lastActiveAt().isAfter(now.minusSeconds(settings.touchIntervalSeconds()))) {
            try {
                registry.touch(connectionId, now);
            } catch (RuntimeException e) {
                // Activity is best effort: the worst case is an idle verdict one touch interval early.
                LOG.warn("activity of connection {} not recorded: {}", connectionId, e.toString());
            }
        }
    }

    private void apply(ConnectionRecord connection, Intent intent, long received) {
        IntentRateLimiter.Decision limit = limiter.check(connection.sessionId(), intent);
        if (limit == IntentRateLimiter.Decision.REFUSED) {
            metrics.throttled(intent);
            reply(connection.connectionId(), frames.error(ErrorCode.RATE_LIMITED,
                    "at most " + settings.perSecond(intent) + " " + intent.kind() + " intents per second", intent.seq()));
            return;
        }
        cacheNotice(connection, limit == IntentRateLimiter.Decision.CACHE_DOWN);
        if (!gate.enter()) {
            // Overload is refused here, before any work and within the gate's short wait: nothing was stored.
            reply(connection.connectionId(), frames.error(ErrorCode.SERVER_BUSY,
                    "the game is busy; send it again shortly", intent.seq()));
            metrics.answered(intent, MetricNames.FAILED, received);
            return;
        }
        // The place covers every database read and write of the intent (the apply and who is in view), so intents
        // alone never exhaust the pool; the posts that follow need none.
        boolean held = true;
        try {
            IntentOutcome outcome;
            try {
                outcome = actions.apply(connection.sessionId(), UUID.fromString(connection.characterId()),
                        connection.instanceId(), intent);
            } catch (RuntimeException e) {
                if (isRefusedData(e)) {
                    // PostgreSQL refused the value itself (SQLSTATE class 22, e.g. text it cannot store): the same
                    // intent can never succeed, so it must not look transient. The parser should have caught it first.
                    LOG.warn("intent {} of session {} refused by the database as bad data: {}", intent.seq(),
                            connection.sessionId(), e.toString());
                    reply(connection.connectionId(), frames.error(ErrorCode.VALIDATION_FAILED,
                            "the intent holds a value the game cannot store", intent.seq()));
                    metrics.answered(intent, MetricNames.REJECTED, received);
                    return;
                }
                // Whatever kept PostgreSQL from committing (unreachable, pool exhausted, failed mid-transaction):
                // nothing was stored, so nothing is acknowledged (RT-08). Logged, since a bug would look the same.
                LOG.error("intent {} of session {} not persisted", intent.seq(), connection.sessionId(), e);
                reply(connection.connectionId(), frames.error(ErrorCode.DB_UNAVAILABLE, "the game cannot save right now", intent.seq()));
                metrics.answered(intent, MetricNames.FAILED, received);
                return;
            }
            switch (outcome) {
                case IntentOutcome.Applied applied -> {
                    // Acknowledged before anyone else hears of it (RT-05 after RT-08).
                    reply(connection.connectionId(), frames.ack(applied.seq()));
                    metrics.answered(intent, MetricNames.OK, received);
                    String frame = deltaFrame(connection, intent, applied);
                    List<String> recipients = frame == null ? List.of() : recipients(connection, applied);
                    gate.leave();
                    held = false;
                    if (!recipients.isEmpty()) {
                        outbox.sendAll(recipients, frame);
                    }
                }
                case IntentOutcome.Replayed replayed -> {
                    reply(connection.connectionId(), frames.ack(replayed.seq()));
                    metrics.answered(intent, MetricNames.OK, received);
                }
                case IntentOutcome.Rejected(long seq, ErrorCode code, String message) -> {
                    reply(connection.connectionId(), frames.error(code, message, seq));
                    metrics.answered(intent, MetricNames.REJECTED, received);
                }
            }
        } finally {
            if (held) {
                gate.leave();
            }
        }
    }

    private static boolean isRefusedData(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    /** RT-05: the change as other players see it; null for intents nobody else sees. */
    private String deltaFrame(ConnectionRecord from, Intent intent, IntentOutcome.Applied applied) {
        return switch (intent) {
            case Intent.Move move -> frames.moved(from.characterId(), applied.x(), applied.y());
            case Intent.Chat chat -> frames.chat(from.characterId(), chat.text());
            case Intent.Action action -> null;
        };
    }

    /** RT-05: the other connected players of the instance within the view radius. */
    private List<String> recipients(ConnectionRecord from, IntentOutcome.Applied applied) {
        try {
            return view.around(from.instanceId(), applied.x(), applied.y(), from.connectionId()).stream()
                    .map(seen -> seen.connection().connectionId())
                    .toList();
        } catch (RuntimeException e) {
            // The change is durable and acknowledged; players in view will see it in their next resume or snapshot.
            LOG.warn("deltas of session {} seq {} not fanned out: {}", from.sessionId(), applied.seq(), e.toString());
            return List.of();
        }
    }

    /**
     * RT-07, told once: the first intent while the cache is down brings {@code event.degraded}, the first after it
     * is back the all-clear. The registry remembers what the client was told, so it costs a write per change only.
     */
    private void cacheNotice(ConnectionRecord connection, boolean cacheDown) {
        boolean told = connection.degradedSince() != null;
        if (cacheDown == told) {
            return;
        }
        reply(connection.connectionId(), cacheDown ? frames.degraded() : frames.recovered());
        try {
            registry.markDegraded(connection.connectionId(), cacheDown ? clock.instant() : null);
        } catch (RuntimeException e) {
            // Not remembered: the client hears the same notice again with its next intent.
            LOG.warn("cache notice of connection {} not recorded: {}", connection.connectionId(), e.toString());
        }
    }

    /** RT-06: the deltas the client missed, or a snapshot. */
    private void resume(ConnectionRecord connection, @Nullable Long lastSeq) {
        String answer;
        try {
            answer = resumption.answer(connection, lastSeq);
        } catch (RuntimeException e) {
            // As for intents (RT-08): PostgreSQL is the only source of truth, so no answer beats a guessed one.
            LOG.error("resume of session {} failed", connection.sessionId(), e);
            answer = frames.error(ErrorCode.DB_UNAVAILABLE, "the game cannot load right now", null);
        }
        reply(connection.connectionId(), answer);
    }

    /**
     * Ends a connection on the server's word: tells the client why (if {@code frame} is given), frees the session's
     * slot, forgets the connection and closes the socket. The {@code $disconnect} that follows finds nothing left.
     */
    private void end(ConnectionRecord connection, String reason, @Nullable String frame) {
        if (frame != null) {
            outbox.send(connection.connectionId(), frame);
        }
        try {
            sessions.release(connection.sessionId(), reason, UUID.fromString(connection.userId()));
        } catch (CacheUnavailableException e) {
            // The slot is freed by the janitor once the session is seen gone.
        }
        registry.remove(connection.connectionId());
        departures.unbindUser(connection.connectionId());
        outbox.close(connection.connectionId());
    }

    /** Room events reach members over this socket (ROOM-02); best effort, as the room log is what resume reads. */
    /**
     * Looked up again after the connection is in the durable registry, which is what a ledger rebuild restores from
     * (issue 11): either the ledger still has the session, or any rebuild from now on will. When Redis cannot answer
     * there is nothing to compare with, and the registry entry already stands for the session.
     */
    private boolean stillInLedger(String sessionId) {
        try {
            return sessions.instanceOf(sessionId).isPresent();
        } catch (CacheUnavailableException e) {
            return true;
        }
    }

    private void bindUser(UUID userId, String connectionId, Instant now) {
        try {
            userConnections.bound(userId, connectionId, now);
        } catch (RuntimeException e) {
            LOG.warn("room delivery to connection {} not set up: {}", connectionId, e.toString());
        }
    }

    private void reply(String connectionId, String frame) {
        outbox.send(connectionId, frame);
    }
}
