package io.tilemud.admission;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tilemud.cache.CacheConnection;
import io.tilemud.logging.AdmissionEvent;
import io.tilemud.logging.AdmissionLog;
import io.tilemud.logging.LogKey;
import io.tilemud.queue.QueueSettings;
import io.tilemud.session.CacheUnavailableException;
import io.tilemud.session.SessionEvents;
import io.tilemud.session.SessionSettings;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Runs the admission Lua scripts ({@code lua/admission/*.lua}) for one instance and turns the side events every
 * script reports (expiry, abandonment, promotion, replacement) into log lines, metrics and {@link SessionEvents}
 * calls — so those are reported the same whichever request or janitor run happened to trigger them.
 *
 * <p>"Now" is always the injected {@link Clock}'s, passed to Redis in ARGV: expiry is decided with the application's
 * time, which tests move. Thread-safe.
 */
@Singleton
public class RedisAdmissionLedger {
    /** Capacity argument meaning "the capacity the last admission or janitor run stored". */
    public static final int STORED_CAPACITY = -1;

    private final CacheConnection cache;
    private final RedisScripts scripts;
    private final Clock clock;
    private final TokenGenerator tokens;
    private final SessionSettings sessionSettings;
    private final QueueSettings queueSettings;
    private final AdmissionSettings admissionSettings;
    private final AdmissionMetrics metrics;
    private final SessionEvents sessionEvents;
    private final LedgerRebuilder rebuilder;

    public RedisAdmissionLedger(CacheConnection cache, RedisScripts scripts, Clock clock, TokenGenerator tokens,
                                SessionSettings sessionSettings, QueueSettings queueSettings,
                                AdmissionSettings admissionSettings, AdmissionMetrics metrics,
                                SessionEvents sessionEvents, LedgerRebuilder rebuilder) {
        this.rebuilder = rebuilder;
        this.cache = cache;
        this.scripts = scripts;
        this.clock = clock;
        this.tokens = tokens;
        this.sessionSettings = sessionSettings;
        this.queueSettings = queueSettings;
        this.admissionSettings = admissionSettings;
        this.metrics = metrics;
        this.sessionEvents = sessionEvents;
    }

    /**
     * admit.lua; see its header for the result shape. Tokens go to Redis only as digests ({@link TokenGenerator}); the
     * token in the result is the clear one minted here, the only place it exists outside the client.
     */
    public List<String> admit(String instanceId, int capacity, UUID characterId, UUID userId, boolean draining,
                              String reconnectionToken, String replaceToken) {
        TokenGenerator.Minted freshReplace = tokens.mint();
        TokenGenerator.Minted freshReconnection = tokens.mint();
        List<String> args = commonArgs(instanceId, capacity);
        args.addAll(List.of(characterId.toString(), userId.toString(), draining ? "1" : "0",
                Integer.toString(queueSettings.maxLength()), tokens.digest(reconnectionToken),
                tokens.digest(replaceToken), freshReplace.digest(),
                Long.toString(admissionSettings.replaceTokenSeconds() * 1000L), freshReconnection.digest()));
        List<String> result = run(RedisScripts.ADMIT, instanceId, args);
        return switch (result.getFirst()) {
            case "success" -> reveal(result, 2, freshReconnection);
            case "failed" -> reveal(result, 2, freshReplace);
            default -> result;
        };
    }

    /** release.lua: {@code sessionId} null sweeps and promotes only. Result {@code [outcome, depth, peak]}. */
    public List<String> release(String instanceId, int capacity, String sessionId, String reason, UUID ownerUserId) {
        List<String> args = commonArgs(instanceId, capacity);
        args.addAll(List.of(nullToEmpty(sessionId), reason, ownerUserId == null ? "" : ownerUserId.toString()));
        return run(RedisScripts.RELEASE, instanceId, args);
    }

    /**
     * session.lua: {@code operation} is get|activate|grace|reconnect|rotate. The token in an {@code ok} result is the
     * clear one minted here when the script rotated it (reconnect, rotate), else {@code ""}: Redis holds only its digest.
     */
    public List<String> session(String instanceId, int capacity, String operation, String sessionId,
                                String presentedToken, String connectionId) {
        TokenGenerator.Minted fresh = tokens.mint();
        List<String> args = commonArgs(instanceId, capacity);
        args.addAll(List.of(operation, sessionId, Long.toString(sessionSettings.graceSeconds() * 1000L),
                tokens.digest(presentedToken), fresh.digest(), nullToEmpty(connectionId)));
        List<String> result = run(RedisScripts.SESSION, instanceId, args);
        return "ok".equals(result.getFirst()) ? reveal(result, 6, fresh) : result;
    }

    /** status.lua: queue position, promoted result (with a freshly minted token), or leave. */
    public List<String> status(String instanceId, int capacity, UUID characterId, UUID userId, boolean leave) {
        TokenGenerator.Minted fresh = tokens.mint();
        List<String> args = commonArgs(instanceId, capacity);
        args.addAll(List.of(characterId.toString(), userId.toString(), fresh.digest(), leave ? "1" : "0"));
        List<String> result = run(RedisScripts.STATUS, instanceId, args);
        return "success".equals(result.getFirst()) ? reveal(result, 2, fresh) : result;
    }

    /**
     * Puts the clear token where the script returned its digest. Any other value there is a digest stored earlier,
     * whose clear token this process never had: it becomes {@code ""} so no digest ever reaches a client.
     */
    private static List<String> reveal(List<String> result, int index, TokenGenerator.Minted minted) {
        if (result.size() > index) {
            result.set(index, minted.digest().equals(result.get(index)) ? minted.clear() : "");
        }
        return result;
    }

    /** The instance a session id belongs to (a plain HGET: the scripts re-check everything atomically). */
    public java.util.Optional<String> instanceOf(String sessionId) {
        try {
            return java.util.Optional.ofNullable(cache.call(redis -> redis.hget(AdmissionKeys.SESSION_INSTANCE, sessionId)));
        } catch (RedisException e) {
            throw new CacheUnavailableException("redis command failed", e);
        }
    }

    /**
     * How full an instance is right now (WEB-02's instance list): slots whose deadline is still ahead (an expired
     * grace or pending slot counts as free on every read, ADM-18) and queue entries. Two reads, not atomic together:
     * a glance for a picker, never an admission decision.
     *
     * @throws CacheUnavailableException while Redis is down
     */
    public Load load(String instanceId) {
        try {
            return cache.call(redis -> new Load(redis.zcount(AdmissionKeys.slots(instanceId),
                    io.lettuce.core.Range.create((double) clock.millis(), Double.POSITIVE_INFINITY)),
                    redis.zcard(AdmissionKeys.queue(instanceId))));
        } catch (RedisException e) {
            throw new CacheUnavailableException("redis command failed", e);
        }
    }

    /** @param occupied slots held (active, pending or in grace)  @param queued entries waiting in the FIFO queue */
    public record Load(long occupied, long queued) {
    }

    /**
     * Runs {@code command} through the Redis circuit breaker ({@link CacheConnection#call}).
     *
     * @throws CacheUnavailableException while Redis is down, stalled or known down (breaker open)
     */
    public <T> T call(java.util.function.Function<RedisCommands<String, String>, T> command) {
        try {
            return cache.call(command);
        } catch (RedisException e) {
            throw new CacheUnavailableException("redis command failed", e);
        }
    }

    /**
     * The Redis commands of the shared connection, bypassing the circuit breaker: for tests and one-off tools only;
     * request paths use {@link #call}. {@link CacheUnavailableException} while Redis is down.
     */
    public RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> connection = cache.current()
                .orElseThrow(() -> new CacheUnavailableException("redis unreachable", null));
        return connection.sync();
    }

    public long nowMillis() {
        return clock.millis();
    }

    private List<String> commonArgs(String instanceId, int capacity) {
        List<String> args = new ArrayList<>(16);
        args.add(Long.toString(clock.millis()));
        args.add(instanceId);
        args.add(Integer.toString(capacity));
        args.add(Long.toString(sessionSettings.pendingSeconds() * 1000L));
        args.add(Long.toString(queueSettings.abandonSeconds() * 1000L));
        args.add(tokens.id());
        return args;
    }

    @SuppressWarnings("unchecked")
    private List<String> run(String script, String instanceId, List<String> args) {
        List<Object> reply = eval(script, instanceId, args);
        if (isLost(reply)) {
            // This Redis does not hold the ledger (lost, replaced, flushed, or new): nothing was read or written.
            // Rebuild it from the durable records, then decide on the rebuilt one — or refuse, transiently.
            if (!rebuilder.ensure()) {
                throw new LedgerRebuildingException();
            }
            reply = eval(script, instanceId, args);
            if (isLost(reply)) {
                throw new LedgerRebuildingException();
            }
        }
        List<String> result = new ArrayList<>();
        for (Object o : (List<Object>) reply.get(0)) {
            result.add(o == null ? "" : o.toString());
        }
        for (Object o : (List<Object>) reply.get(1)) {
            List<Object> e = (List<Object>) o;
            report(instanceId, str(e.get(0)), str(e.get(1)), str(e.get(2)), str(e.get(3)), str(e.get(4)));
        }
        return result;
    }

    private List<Object> eval(String script, String instanceId, List<String> args) {
        try {
            return cache.call(redis -> scripts.run(redis, script, ScriptOutputType.MULTI,
                    AdmissionKeys.scriptKeys(instanceId), args));
        } catch (RedisException e) {
            throw new CacheUnavailableException("admission script " + script + " failed", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean isLost(List<Object> reply) {
        List<Object> result = (List<Object>) reply.getFirst();
        return result.size() == 1 && "lost".equals(String.valueOf(result.getFirst()));
    }

    private void report(String instanceId, String kind, String characterId, String sessionId, String userId,
                        String detail) {
        AdmissionEvent event = switch (kind) {
            case "promoted" -> AdmissionEvent.PROMOTED;
            case "expired" -> AdmissionEvent.SESSION_EXPIRED;
            case "abandoned" -> AdmissionEvent.QUEUE_ABANDONED;
            case "skipped" -> AdmissionEvent.QUEUE_SKIPPED;
            case "replaced" -> AdmissionEvent.REPLACED;
            case "reconnected" -> AdmissionEvent.RECONNECTED;
            default -> AdmissionEvent.SESSION_RELEASED;
        };
        var line = AdmissionLog.event(event).with(LogKey.INSTANCE_ID, instanceId)
                .with(LogKey.CHARACTER_ID, characterId).with(LogKey.SESSION_ID, emptyToNull(sessionId))
                .with(LogKey.USER_ID, emptyToNull(userId));
        switch (event) {
            case PROMOTED -> {
                long waited = parseLong(detail);
                metrics.promoted(instanceId, Duration.ofMillis(Math.max(0, waited)));
                line.with(LogKey.WAIT_MS, waited);
            }
            case SESSION_EXPIRED -> {
                metrics.expired(detail);
                line.with(LogKey.REASON, detail);
            }
            case QUEUE_ABANDONED -> metrics.abandoned(instanceId);
            case RECONNECTED -> metrics.reconnect(true);
            case SESSION_RELEASED -> line.with(LogKey.REASON, detail);
            default -> {
            }
        }
        line.log();
    }

    static long parseLong(String s) {
        try {
            return s == null || s.isEmpty() ? 0 : (long) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** For {@link io.tilemud.session.RedisSessionStore}: notifies the realtime layer of a committed replacement. */
    public void notifyReplaced(String oldSessionId, String newSessionId) {
        sessionEvents.sessionReplaced(oldSessionId, newSessionId);
    }
}
