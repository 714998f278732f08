package io.tilemud.ratelimit;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.tilemud.admission.AdmissionKeys;
import io.tilemud.admission.RedisAdmissionLedger;
import io.tilemud.admission.RedisScripts;
import io.tilemud.admission.TokenGenerator;
import io.tilemud.session.CacheUnavailableException;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;

/**
 * Failed-admission limiter (ADM-12): {@code maxFailures} failures in any rolling {@code windowSeconds} lock the user
 * for {@code lockSeconds}. Keyed by the token's subject so it runs before any PostgreSQL read.
 *
 * <p>Why a Lua script rather than a rate-limit library (Bucket4j, Resilience4j): those limit <em>all</em> calls
 * with token buckets, in memory or with their own Redis schema; this rule counts <em>failures only</em>, in a rolling
 * window, then switches to a fixed lock, and must be shared by every Lambda instance atomically. A sorted set of
 * failure times plus a lock key, updated in one script, is exactly that. Thread-safe.
 */
@Singleton
public class AdmissionRateLimiter {
    private final RedisAdmissionLedger ledger;
    private final RedisScripts scripts;
    private final RateLimitSettings settings;
    private final TokenGenerator ids;

    public AdmissionRateLimiter(RedisAdmissionLedger ledger, RedisScripts scripts, RateLimitSettings settings,
                                TokenGenerator ids) {
        this.ledger = ledger;
        this.scripts = scripts;
        this.settings = settings;
        this.ids = ids;
    }

    /**
     * Remaining lock time, {@link Duration#ZERO} when not locked. Throws {@link CacheUnavailableException}.
     * A plain GET (what the script's 'check' does), since it runs on every attempt.
     */
    public Duration remainingLock(String subject) {
        try {
            String until = ledger.call(redis -> redis.get(AdmissionKeys.rateLimitLock(subject)));
            long remaining = until == null ? 0 : Long.parseLong(until) - ledger.nowMillis();
            return Duration.ofMillis(Math.max(0, remaining));
        } catch (RedisException e) {
            throw new CacheUnavailableException("rate limit check failed", e);
        }
    }

    /** Counts one failure; returns the lock now in force ({@link Duration#ZERO} when this failure did not lock). */
    public Duration recordFailure(String subject) {
        return Duration.ofMillis(call("fail", subject));
    }

    private long call(String operation, String subject) {
        try {
            Long remaining = ledger.call(redis -> scripts.run(redis, RedisScripts.RATE_LIMIT, ScriptOutputType.INTEGER,
                    List.of(AdmissionKeys.rateLimitFailures(subject), AdmissionKeys.rateLimitLock(subject)),
                    List.of(operation, Long.toString(ledger.nowMillis()), Long.toString(settings.windowSeconds() * 1000L),
                            Integer.toString(settings.maxFailures()), Long.toString(settings.lockSeconds() * 1000L),
                            ids.id())));
            return remaining == null ? 0 : remaining;
        } catch (RedisException e) {
            throw new CacheUnavailableException("rate limit script failed", e);
        }
    }

    /** Whole seconds for Retry-After: rounded up, at least 1. */
    public static long retryAfterSeconds(Duration remaining) {
        return Math.max(1, (remaining.toMillis() + 999) / 1000);
    }
}
