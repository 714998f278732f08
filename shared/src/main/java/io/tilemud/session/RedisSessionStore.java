package io.tilemud.session;

import io.tilemud.admission.AdmissionMetrics;
import io.tilemud.admission.RedisAdmissionLedger;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import io.tilemud.logging.AdmissionEvent;
import io.tilemud.logging.AdmissionLog;
import io.tilemud.logging.LogKey;

import java.time.Instant;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** {@link SessionStore} over the admission Lua scripts (session.lua, release.lua). Thread-safe. */
@Singleton
public class RedisSessionStore implements SessionStore {
    private final RedisAdmissionLedger ledger;
    private final AdmissionMetrics metrics;

    public RedisSessionStore(RedisAdmissionLedger ledger, AdmissionMetrics metrics) {
        this.ledger = ledger;
        this.metrics = metrics;
    }

    @Override
    public Optional<Session> find(String sessionId) {
        Optional<String> instance = ledger.instanceOf(sessionId);
        if (instance.isEmpty()) {
            return Optional.empty();
        }
        return switch (transition(instance.get(), "get", sessionId, null, null)) {
            case SessionTransition.Done(Session s, String previous) -> Optional.of(s);
            default -> Optional.empty();
        };
    }

    @Override
    public SessionTransition activate(String sessionId, @Nullable String connectionId) {
        return step(sessionId, "activate", null, connectionId);
    }

    @Override
    public SessionTransition enterGrace(String sessionId, @Nullable String connectionId) {
        return step(sessionId, "grace", null, connectionId);
    }

    @Override
    public SessionTransition reconnect(String sessionId, String reconnectionToken, @Nullable String connectionId) {
        return step(sessionId, "reconnect", reconnectionToken, connectionId);
    }

    @Override
    public Optional<Session> rotateToken(String sessionId) {
        return switch (step(sessionId, "rotate", null, null)) {
            case SessionTransition.Done(Session s, String previous) -> Optional.of(s);
            default -> Optional.empty();
        };
    }

    @Override
    public ReleaseResult release(String sessionId, String reason, UUID ownerUserId) {
        try {
            Optional<String> instance = ledger.instanceOf(sessionId);
            if (instance.isEmpty()) {
                return new ReleaseResult.NotFound();
            }
            List<String> result = ledger.release(instance.get(), RedisAdmissionLedger.STORED_CAPACITY, sessionId, reason, ownerUserId);
            return "released".equals(result.getFirst())
                    ? new ReleaseResult.Released(sessionId)
                    : new ReleaseResult.NotFound();
        } catch (CacheUnavailableException e) {
            return new ReleaseResult.Unavailable();
        }
    }

    @Override
    public Optional<String> instanceOf(String sessionId) {
        return ledger.instanceOf(sessionId);
    }

    private SessionTransition step(String sessionId, String operation, String token, @Nullable String connectionId) {
        SessionTransition result;
        try {
            Optional<String> instance = ledger.instanceOf(sessionId);
            result = instance.isEmpty()
                    ? new SessionTransition.Missing()
                    : transition(instance.get(), operation, sessionId, token, connectionId);
        } catch (CacheUnavailableException e) {
            result = new SessionTransition.Unavailable();
        }
        log(sessionId, operation, result);
        if ("reconnect".equals(operation) && !(result instanceof SessionTransition.Done)) {
            metrics.reconnect(false);
        }
        return result;
    }

    /**
     * OPS-02 events for every transition, whoever calls (HTTP, WebSocket handlers). A successful reconnect is
     * logged as RECONNECTED by the ledger from the script's own event, so only its failure is logged here.
     */
    private static void log(String sessionId, String operation, SessionTransition result) {
        boolean done = result instanceof SessionTransition.Done;
        AdmissionEvent event = switch (operation) {
            case "activate" -> AdmissionEvent.SESSION_ACTIVATED;
            case "grace" -> AdmissionEvent.DISCONNECTED;
            case "rotate" -> null;
            default -> done ? null : AdmissionEvent.RECONNECT_FAILED;
        };
        if (event == null) {
            return;
        }
        AdmissionLog.withMdc(Map.of(LogKey.SESSION_ID, sessionId), () -> {
            AdmissionLog.event(event).with(LogKey.REASON, done ? null : result.getClass().getSimpleName()).log();
            return null;
        });
    }

    private SessionTransition transition(String instanceId, String operation, String sessionId, String token,
                                         @Nullable String connectionId) {
        List<String> r = ledger.session(instanceId, RedisAdmissionLedger.STORED_CAPACITY, operation, sessionId, token,
                connectionId);
        return switch (r.getFirst()) {
            case "ok" -> new SessionTransition.Done(toSession(r), r.size() > 8 && !r.get(8).isEmpty() ? r.get(8) : null);
            case "invalid" -> new SessionTransition.Refused(SessionState.of(r.get(1)));
            default -> new SessionTransition.Missing();
        };
    }

    private static Session toSession(List<String> r) {
        long deadline = Long.parseLong(r.get(7));
        return new Session(r.get(1), UUID.fromString(r.get(2)), UUID.fromString(r.get(3)), r.get(4),
                SessionState.of(r.get(5)), r.get(6), deadline == 0 ? null : Instant.ofEpochMilli(deadline));
    }
}
