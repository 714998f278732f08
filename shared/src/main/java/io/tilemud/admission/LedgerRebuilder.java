package io.tilemud.admission;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.tilemud.cache.CacheConnection;
import io.tilemud.connection.ConnectionRecord;
import io.tilemud.connection.DynamoConnectionRegistry;
import io.tilemud.instance.GameInstance;
import io.tilemud.instance.InstanceRepository;
import io.tilemud.logging.AdmissionEvent;
import io.tilemud.logging.AdmissionLog;
import io.tilemud.logging.LogKey;
import io.tilemud.session.CacheUnavailableException;
import io.tilemud.session.SessionEvents;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Rebuilds the admission ledger in a Redis that lost it (an ElastiCache failover to an empty node, a replacement, a
 * flush — or simply a first start): every live connection in the durable registry (DynamoDB, which survives a cache
 * outage) becomes an active, slot-holding session again, with its character lock, before the ledger marker is
 * written. Until then every admission script answers {@code lost} and callers refuse with {@code SERVICE_DEGRADED},
 * so no admission is ever decided by a Redis that forgot who is playing: never two sessions for one character,
 * never more players than capacity.
 *
 * <p>What cannot come back: the queue (its order lived only in Redis; a queued player's next poll answers
 * {@code QUEUE_RESET} and the client connects again), pending sessions (never connected: their holders connect again)
 * and sessions in grace (their socket is gone, so the registry no longer names them). Reconnection tokens of restored
 * sessions were in the lost cache: the next {@code resume} issues a new one.
 *
 * <p>One process rebuilds at a time ({@code SET NX} lock with an expiry); callers in this JVM wait for it (bounded),
 * callers elsewhere get {@link CacheUnavailableException} until the marker is there. Thread-safe.
 */
@Singleton
public class LedgerRebuilder {
    static final String SCRIPT = "ledger/rebuild";
    /** How long the rebuild lock lives if its holder dies mid-rebuild. */
    static final Duration LOCK_TTL = Duration.ofSeconds(30);
    /** How long a caller waits for another process's rebuild before answering degraded. */
    static final Duration WAIT_FOR_OTHERS = Duration.ofSeconds(2);

    private final CacheConnection cache;
    private final RedisScripts scripts;
    private final InstanceRepository instances;
    private final DynamoConnectionRegistry registry;
    private final SessionEvents sessionEvents;
    private final Clock clock;

    public LedgerRebuilder(CacheConnection cache, RedisScripts scripts, InstanceRepository instances,
                           DynamoConnectionRegistry registry, SessionEvents sessionEvents, Clock clock) {
        this.cache = cache;
        this.scripts = scripts;
        this.instances = instances;
        this.registry = registry;
        this.sessionEvents = sessionEvents;
        this.clock = clock;
    }

    /**
     * Makes sure this Redis holds the ledger, rebuilding it if it does not.
     *
     * @return true when the ledger is there (already, or rebuilt now); false when another process is still rebuilding
     * @throws CacheUnavailableException when Redis, PostgreSQL or DynamoDB cannot be read
     */
    public synchronized boolean ensure() {
        try {
            if (cache.call(redis -> redis.exists(AdmissionKeys.LEDGER)) == 1) {
                return true;
            }
            String holder = UUID.randomUUID().toString();
            String locked = cache.call(redis -> redis.set(AdmissionKeys.LEDGER_REBUILD_LOCK, holder,
                    SetArgs.Builder.nx().px(LOCK_TTL.toMillis())));
            if (!"OK".equals(locked)) {
                return awaitOtherRebuild();
            }
            try {
                rebuild();
                return true;
            } finally {
                cache.call(redis -> holder.equals(redis.get(AdmissionKeys.LEDGER_REBUILD_LOCK))
                        ? redis.del(AdmissionKeys.LEDGER_REBUILD_LOCK) : 0L);
            }
        } catch (RedisException e) {
            throw new CacheUnavailableException("ledger rebuild failed", e);
        }
    }

    // Only Redis commands go through the circuit breaker (cache.call): the PostgreSQL and DynamoDB reads of a rebuild
    // and the wait for another process must not count as the cache failing or being slow.
    private boolean awaitOtherRebuild() {
        long deadline = System.nanoTime() + WAIT_FOR_OTHERS.toNanos();
        while (System.nanoTime() < deadline) {
            if (cache.call(redis -> redis.exists(AdmissionKeys.LEDGER)) == 1) {
                return true;
            }
            try {
                Thread.sleep(50); // polling another process's progress; bounded by WAIT_FOR_OTHERS
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void rebuild() {
        long started = System.nanoTime();
        Instant now = clock.instant();
        List<GameInstance> all = new ArrayList<>(instances.findAll());
        all.sort(Comparator.comparing(GameInstance::id));
        java.util.Set<String> known = new java.util.HashSet<>();
        all.forEach(i -> known.add(i.id()));
        // The table itself, strongly consistent: a socket registered a moment ago must be in the rebuilt ledger.
        List<ConnectionRecord> live = registry.all().stream()
                .filter(c -> c.expiresAt().isAfter(now) && known.contains(c.instanceId())).toList();
        // One session per character across every instance (ADM-08): should the registry name two live sockets for one
        // character (possible only if a cache loss before this code let one through), the newest keeps it.
        Map<String, ConnectionRecord> kept = new HashMap<>();
        for (ConnectionRecord c : live) {
            kept.merge(c.characterId(), c, (a, b) -> a.connectedAt().isAfter(b.connectedAt()) ? a : b);
        }
        Map<String, List<ConnectionRecord>> perInstance = new LinkedHashMap<>();
        all.forEach(i -> perInstance.put(i.id(), new ArrayList<>()));
        List<ConnectionRecord> superseded = new ArrayList<>();
        for (ConnectionRecord c : live) {
            if (kept.get(c.characterId()) == c) {
                perInstance.get(c.instanceId()).add(c);
            } else {
                superseded.add(c);
            }
        }
        String generation = UUID.randomUUID().toString();
        long restored = 0;
        if (all.isEmpty()) {
            restored += run("-", 0, generation, true, List.of(), now);
        }
        for (int i = 0; i < all.size(); i++) {
            GameInstance instance = all.get(i);
            restored += run(instance.id(), instance.capacity(), generation, i == all.size() - 1,
                    perInstance.get(instance.id()), now);
        }
        for (ConnectionRecord loser : superseded) {
            sessionEvents.sessionReplaced(loser.sessionId(), kept.get(loser.characterId()).sessionId());
        }
        AdmissionLog.event(AdmissionEvent.LEDGER_REBUILT)
                .with(LogKey.COUNT, restored)
                .with(LogKey.LATENCY_MS, (System.nanoTime() - started) / 1_000_000)
                .log();
    }

    @SuppressWarnings("unchecked")
    private long run(String instanceId, int capacity, String generation,
                     boolean last, List<ConnectionRecord> live, Instant now) {
        List<String> args = new ArrayList<>(5 + live.size() * 4);
        args.add(Long.toString(now.toEpochMilli()));
        args.add(instanceId);
        args.add(Integer.toString(capacity));
        args.add(generation);
        args.add(last ? "1" : "0");
        for (ConnectionRecord c : live) {
            args.addAll(List.of(c.sessionId(), c.characterId(), c.userId(), c.connectionId()));
        }
        List<Object> reply = cache.call(redis -> scripts.run(redis, SCRIPT, ScriptOutputType.MULTI,
                AdmissionKeys.scriptKeys(instanceId), args));
        return ((Number) reply.getFirst()).longValue();
    }
}
