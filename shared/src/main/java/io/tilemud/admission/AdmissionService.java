package io.tilemud.admission;

import io.tilemud.database.DatabaseFailures;
import io.tilemud.error.ErrorCode;
import io.tilemud.instance.InstanceId;
import io.tilemud.instance.InstanceState;
import io.tilemud.logging.AdmissionEvent;
import io.tilemud.logging.AdmissionLog;
import io.tilemud.logging.LogKey;
import io.tilemud.ratelimit.AdmissionRateLimiter;
import io.tilemud.session.ActiveCharacterCache;
import io.tilemud.session.CacheUnavailableException;
import io.tilemud.user.User;
import io.tilemud.user.UserRepository;
import io.tilemud.user.UserService;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /instances/{id}/connect} (ADM-01..14, ADM-18, ADM-20). Checks run in the order the requirements fix —
 * rate-limit lock → input → ownership and active character → suspension → instance → version → the atomic Redis
 * decision — so cheap refusals never reach PostgreSQL and nothing is written to Redis before the last step.
 *
 * <p>Every attempt resolves within {@code tilemud.admission.timeout-millis} (ADM-13): the work runs on a worker
 * thread and the caller waits at most that long; a decision that lands later is rolled back (released or dequeued),
 * so a timed-out client never leaks a slot. Thread-safe.
 */
@Singleton
public class AdmissionService {
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionService.class);

    private final AdmissionRateLimiter rateLimiter;
    private final UserService users;
    private final JdbcAdmissionFacts admissionFacts;
    private final RedisAdmissionLedger ledger;
    private final AdmissionCheckpoint checkpoint;
    private final AdmissionSettings settings;
    private final AdmissionMetrics metrics;
    private final TokenGenerator ids;
    private final ActiveCharacterCache activeCharacters;
    private final UserRepository userRecords;
    /**
     * Where attempts run while the caller waits at most the deadline. Platform threads, reused: on a virtual thread
     * every blocking Redis or JDBC wait parks and is resumed through the carrier scheduler, and issue 15's method
     * timings put that at ~0.3 ms per call (admit.lua 0.38 ms at p50 on a virtual thread, 0.07 ms on a platform
     * thread, same connection, same run) — three such waits were most of an admission. The pool holds one thread per
     * attempt in flight (each bounded by the waits above: Redis 500 ms, PostgreSQL 1.5 s statement / 2 s socket);
     * idle threads go after 60 s.
     */
    private final ExecutorService workers = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("admission-", 0).daemon(true).factory());

    public AdmissionService(AdmissionRateLimiter rateLimiter, UserService users, JdbcAdmissionFacts admissionFacts,
                            RedisAdmissionLedger ledger, AdmissionCheckpoint checkpoint,
                            AdmissionSettings settings, AdmissionMetrics metrics, TokenGenerator ids,
                            ActiveCharacterCache activeCharacters, UserRepository userRecords) {
        this.activeCharacters = activeCharacters;
        this.userRecords = userRecords;
        this.rateLimiter = rateLimiter;
        this.users = users;
        this.admissionFacts = admissionFacts;
        this.ledger = ledger;
        this.checkpoint = checkpoint;
        this.settings = settings;
        this.metrics = metrics;
        this.ids = ids;
    }

    public AdmissionResult admit(AdmissionRequest request) {
        long started = System.nanoTime();
        return AdmissionLog.withMdc(Map.of(LogKey.ATTEMPT_ID, ids.id()), () -> {
            AdmissionLog.event(AdmissionEvent.ADMISSION_ATTEMPTED).with(LogKey.INSTANCE_ID, clip(request.instanceId()))
                    .with(LogKey.CHARACTER_ID, clip(request.characterId())).log();
            AdmissionResult result = withDeadline(request);
            report(request, result, Duration.ofNanos(System.nanoTime() - started));
            return result;
        });
    }

    private AdmissionResult withDeadline(AdmissionRequest request) {
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        CompletableFuture<AdmissionResult> work = CompletableFuture.supplyAsync(() -> {
            MDC.setContextMap(mdc);
            try {
                return decide(request);
            } finally {
                MDC.clear();
            }
        }, workers);
        try {
            return work.get(settings.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException late) {
            // Registered after the deadline: if the decision already landed meanwhile, this runs at once.
            work.thenAccept(decided -> AdmissionLog.withMdc(mdcOf(mdc), () -> rollBack(request, decided)));
            return new AdmissionResult.TimedOut();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            work.thenAccept(decided -> rollBack(request, decided));
            return new AdmissionResult.TimedOut();
        } catch (ExecutionException e) {
            LOG.error("admission failed unexpectedly", e.getCause());
            return AdmissionResult.Rejected.of(ErrorCode.INTERNAL_ERROR);
        }
    }

    private static Map<LogKey, String> mdcOf(Map<String, String> mdc) {
        String attempt = mdc == null ? null : mdc.get(LogKey.ATTEMPT_ID.key());
        return attempt == null ? Map.of() : Map.of(LogKey.ATTEMPT_ID, attempt);
    }

    private AdmissionResult decide(AdmissionRequest request) {
        Duration locked;
        try {
            locked = rateLimiter.remainingLock(request.subject());
        } catch (CacheUnavailableException e) {
            return degraded();
        }
        if (!locked.isZero()) {
            metrics.throttled();
            AdmissionLog.event(AdmissionEvent.THROTTLED).with(LogKey.INSTANCE_ID, clip(request.instanceId())).log();
            return new AdmissionResult.Rejected(ErrorCode.RATE_LIMITED, null, null,
                    AdmissionRateLimiter.retryAfterSeconds(locked));
        }
        AdmissionResult result;
        try {
            result = decideUnthrottled(request);
        } catch (RuntimeException e) {
            if (!DatabaseFailures.isUnavailable(e)) {
                throw e;
            }
            // PostgreSQL is down or stalled (its waits are bounded in application.yml): the player can retry soon,
            // exactly as when the cache is down, and nothing was written to Redis (the decision is the last step).
            LOG.warn("admission refused, database unavailable: {}", e.toString());
            return degraded();
        }
        if (result instanceof AdmissionResult.Rejected rejected && countsTowardsLimit(rejected.reason())) {
            try {
                rateLimiter.recordFailure(request.subject());
            } catch (CacheUnavailableException e) {
                // The failure is still answered; only its count is lost while the cache is down.
            }
        }
        return result;
    }

    /**
     * Failures the client caused count towards the limit (ADM-12); transient server states (queue full,
     * maintenance, drain, degraded cache, timeout) do not, so waiting players are not locked out for retrying.
     */
    static boolean countsTowardsLimit(ErrorCode reason) {
        return !reason.isTransient();
    }

    private AdmissionResult decideUnthrottled(AdmissionRequest request) {
        if (!InstanceId.isValid(request.instanceId())) {
            return AdmissionResult.Rejected.of(ErrorCode.INVALID_INSTANCE);
        }
        Optional<UUID> characterId = parseUuid(request.characterId());
        if (characterId.isEmpty()) {
            return AdmissionResult.Rejected.of(ErrorCode.NO_ACTIVE_CHARACTER);
        }
        // One round trip for the user, the character and the instance (issue 15), read fresh on every attempt.
        AdmissionFacts facts = admissionFacts.read(request.subject(), characterId.get(), request.instanceId());
        AdmissionFacts.Character character = facts.character();
        if (character == null) {
            return AdmissionResult.Rejected.of(ErrorCode.NO_ACTIVE_CHARACTER);
        }
        if (!character.ownerId().equals(facts.userId())) {
            // ADM-03: the caller learns nothing more than "not your active character"; operators see the attempt.
            AdmissionLog.event(AdmissionEvent.OWNERSHIP_VIOLATION).with(LogKey.USER_ID, facts.userId())
                    .with(LogKey.CHARACTER_ID, characterId.get()).with(LogKey.INSTANCE_ID, clip(request.instanceId())).log();
            return AdmissionResult.Rejected.of(ErrorCode.NO_ACTIVE_CHARACTER);
        }
        if (!characterId.get().equals(facts.activeCharacterId())) {
            return AdmissionResult.Rejected.of(ErrorCode.NO_ACTIVE_CHARACTER);
        }
        if (!character.status().canPlay()) {
            return AdmissionResult.Rejected.of(ErrorCode.CHARACTER_SUSPENDED);
        }
        AdmissionFacts.Instance instance = facts.instance();
        if (instance == null || instance.state() == InstanceState.STOPPED) {
            return AdmissionResult.Rejected.of(ErrorCode.INVALID_INSTANCE);
        }
        if (instance.state() == InstanceState.MAINTENANCE) {
            return AdmissionResult.Rejected.of(ErrorCode.MAINTENANCE);
        }
        if (!instance.build().equals(request.clientBuild())) {
            AdmissionLog.event(AdmissionEvent.VERSION_REJECTED).with(LogKey.INSTANCE_ID, instance.id())
                    .with(LogKey.CHARACTER_ID, characterId.get()).log();
            return new AdmissionResult.Rejected(ErrorCode.VERSION_MISMATCH, null, instance.build(), null);
        }
        checkpoint.beforeDecision(instance.id(), characterId.get());
        List<String> decision;
        try {
            decision = ledger.admit(instance.id(), instance.capacity(), characterId.get(), facts.userId(),
                    instance.state() == InstanceState.DRAINING, request.reconnectionToken(), request.replaceToken());
        } catch (CacheUnavailableException e) {
            return degraded();
        }
        AdmissionResult result = toResult(decision);
        if (result instanceof AdmissionResult.Rejected r && r.reason() == ErrorCode.NO_ACTIVE_CHARACTER) {
            // The selection changed while this attempt was in flight (ADM-14), or the cached selection is stale after
            // a cache outage: if PostgreSQL still says this character, heal the cache so the next attempt passes.
            userRecords.findById(facts.userId()).map(User::activeCharacterId).filter(characterId.get()::equals)
                    .ifPresent(selected -> activeCharacters.selected(facts.userId(), selected));
        }
        if (request.reconnectionToken() != null && !request.reconnectionToken().isEmpty()
                && !(result instanceof AdmissionResult.Admitted a && a.how() == AdmissionResult.Admitted.How.RECONNECTED)) {
            metrics.reconnect(false);
            AdmissionLog.event(AdmissionEvent.RECONNECT_FAILED).with(LogKey.INSTANCE_ID, instance.id())
                    .with(LogKey.CHARACTER_ID, characterId.get()).log();
        }
        if (result instanceof AdmissionResult.Admitted a && a.replacedSessionId() != null) {
            ledger.notifyReplaced(a.replacedSessionId(), a.sessionId());
        }
        return result;
    }

    private static AdmissionResult toResult(List<String> r) {
        return switch (r.getFirst()) {
            case "success" -> new AdmissionResult.Admitted(r.get(1), r.get(2),
                    AdmissionResult.Admitted.How.valueOf(r.get(3).toUpperCase(java.util.Locale.ROOT)),
                    r.get(4).isEmpty() ? null : r.get(4));
            case "queued" -> new AdmissionResult.Queued(Long.parseLong(r.get(1)), Long.parseLong(r.get(2)));
            case "failed" -> new AdmissionResult.Rejected(ErrorCode.valueOf(r.get(1)),
                    r.get(2).isEmpty() ? null : r.get(2), null, null);
            default -> throw new IllegalStateException("admit.lua answered " + r.getFirst());
        };
    }

    private AdmissionResult degraded() {
        return new AdmissionResult.Rejected(ErrorCode.SERVICE_DEGRADED, null, null,
                (long) settings.degradedRetryAfterSeconds());
    }

    /** ADM-13: the client was told "timeout"; whatever this attempt reserved is given back. */
    private Void rollBack(AdmissionRequest request, AdmissionResult decided) {
        try {
            switch (decided) {
                case AdmissionResult.Admitted a when a.how() != AdmissionResult.Admitted.How.PENDING -> {
                    ledger.release(request.instanceId(), RedisAdmissionLedger.STORED_CAPACITY, a.sessionId(),
                            "timeout", null);
                    AdmissionLog.event(AdmissionEvent.LATE_ADMISSION_ROLLED_BACK).with(LogKey.SESSION_ID, a.sessionId())
                            .with(LogKey.INSTANCE_ID, clip(request.instanceId())).log();
                }
                case AdmissionResult.Queued q -> {
                    UUID characterId = UUID.fromString(request.characterId());
                    ledger.status(request.instanceId(), RedisAdmissionLedger.STORED_CAPACITY, characterId,
                            users.idOf(request.subject()), true);
                    AdmissionLog.event(AdmissionEvent.LATE_ADMISSION_ROLLED_BACK).with(LogKey.CHARACTER_ID, characterId)
                            .with(LogKey.INSTANCE_ID, clip(request.instanceId())).log();
                }
                default -> {
                }
            }
        } catch (RuntimeException e) {
            // Pending sessions expire after pendingSeconds and queue entries are abandoned when not polled:
            // a failed rollback delays the slot's return, it does not leak it.
            LOG.warn("rolling back a late admission failed", e);
        }
        return null;
    }

    private void report(AdmissionRequest request, AdmissionResult result, Duration took) {
        switch (result) {
            case AdmissionResult.Admitted a -> {
                metrics.admitted(a.how(), took);
                AdmissionLog.withMdc(Map.of(LogKey.SESSION_ID, a.sessionId()), () -> {
                    AdmissionLog.event(AdmissionEvent.ADMITTED).with(LogKey.INSTANCE_ID, clip(request.instanceId()))
                            .with(LogKey.CHARACTER_ID, clip(request.characterId())).with(LogKey.REASON, a.how())
                            .with(LogKey.LATENCY_MS, took.toMillis()).log();
                    return null;
                });
            }
            case AdmissionResult.Queued q -> {
                metrics.attempt("queued", null, took);
                AdmissionLog.event(AdmissionEvent.QUEUED).with(LogKey.INSTANCE_ID, clip(request.instanceId()))
                        .with(LogKey.CHARACTER_ID, clip(request.characterId())).with(LogKey.POSITION, q.position())
                        .with(LogKey.LATENCY_MS, took.toMillis()).log();
            }
            case AdmissionResult.Rejected r -> {
                metrics.attempt("failed", r.reason().name(), took);
                AdmissionLog.event(AdmissionEvent.ADMISSION_FAILED).with(LogKey.INSTANCE_ID, clip(request.instanceId()))
                        .with(LogKey.CHARACTER_ID, clip(request.characterId())).with(LogKey.REASON, r.reason())
                        .with(LogKey.LATENCY_MS, took.toMillis()).log();
            }
            case AdmissionResult.TimedOut t -> {
                metrics.attempt("timeout", ErrorCode.TIMEOUT.name(), took);
                AdmissionLog.event(AdmissionEvent.ADMISSION_TIMEOUT).with(LogKey.INSTANCE_ID, clip(request.instanceId()))
                        .with(LogKey.CHARACTER_ID, clip(request.characterId())).with(LogKey.LATENCY_MS, took.toMillis()).log();
            }
        }
    }

    /** Client-sent ids are logged before validation: bounded, so a request cannot flood a log line. */
    private static String clip(String value) {
        return value == null || value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }

    private static Optional<UUID> parseUuid(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @PreDestroy
    void close() {
        workers.shutdown();
    }
}
