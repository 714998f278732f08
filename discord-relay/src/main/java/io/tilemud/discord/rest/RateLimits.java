package io.tilemud.discord.rest;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Discord's rate limits as the headers describe them (https://discord.com/developers/docs/topics/rate-limits):
 * <ul>
 *   <li>per bucket: {@code X-RateLimit-Bucket} names the bucket a route belongs to (routes may share one); it is
 *       counted per major parameter, so the key is {@code hash:majorParameter}. {@code X-RateLimit-Remaining} and
 *       {@code X-RateLimit-Reset-After} say how many requests are left until when. Until a route's first answer we
 *       know it by its own key.</li>
 *   <li>global: at most {@code globalPerSecond} requests per bot token (a bucket4j token bucket on our clock), and a
 *       429 with {@code global: true} blocks every route for its {@code retry_after}.</li>
 * </ul>
 * A request reserves its slot ({@link #acquire}), so two workers on one bucket with one request left do not both
 * go. Thread-safe (one monitor: calls are microseconds, Discord answers in milliseconds).
 */
public final class RateLimits {
    private final Clock clock;
    private final Bucket global;
    private final Map<String, String> bucketOfRoute = new HashMap<>();
    private final Map<String, Window> windows = new HashMap<>();
    private Instant globalBlockedUntil = Instant.EPOCH;

    /** What Discord last said about one bucket and major parameter. */
    private record Window(int remaining, Instant resetAt) {
    }

    public RateLimits(Clock clock, int globalPerSecond) {
        this.clock = clock;
        TimeMeter time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.global = Bucket.builder()
                .addLimit(limit -> limit.capacity(globalPerSecond).refillGreedy(globalPerSecond, Duration.ofSeconds(1)))
                .withCustomTimePrecision(time)
                .build();
    }

    /**
     * Reserves a request on the route: {@link Duration#ZERO} when it may go now, else how long to wait before asking
     * again (a global block, an exhausted bucket, or the global 50/s).
     */
    public synchronized Duration acquire(Route route) {
        Instant now = clock.instant();
        if (globalBlockedUntil.isAfter(now)) {
            return Duration.between(now, globalBlockedUntil);
        }
        String key = key(route);
        Window window = windows.get(key);
        if (window != null && window.resetAt().isAfter(now)) {
            if (window.remaining() <= 0) {
                return Duration.between(now, window.resetAt());
            }
        }
        ConsumptionProbe probe = global.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            return Duration.ofNanos(probe.getNanosToWaitForRefill());
        }
        if (window != null && window.resetAt().isAfter(now)) {
            windows.put(key, new Window(window.remaining() - 1, window.resetAt()));
        }
        return Duration.ZERO;
    }

    /** Learns the route's bucket and its window from an answer's headers (any status). */
    public synchronized void observe(Route route, HttpHeaders headers) {
        headers.firstValue("X-RateLimit-Bucket").ifPresent(hash -> bucketOfRoute.put(route.routeKey(), hash));
        Optional<String> remaining = headers.firstValue("X-RateLimit-Remaining");
        Optional<String> resetAfter = headers.firstValue("X-RateLimit-Reset-After");
        if (remaining.isPresent() && resetAfter.isPresent()) {
            try {
                windows.put(key(route), new Window(Integer.parseInt(remaining.get()),
                        clock.instant().plus(seconds(Double.parseDouble(resetAfter.get())))));
            } catch (NumberFormatException ignored) {
                // a header we cannot read tells us nothing; the next 429 will
            }
        }
    }

    /** A 429 with {@code global: true}: nothing goes out for {@code wait}. */
    public synchronized void blockGlobal(Duration wait) {
        Instant until = clock.instant().plus(wait);
        if (until.isAfter(globalBlockedUntil)) {
            globalBlockedUntil = until;
        }
    }

    /** A 429 on the route's bucket: its major parameter waits {@code wait}. */
    public synchronized void blockBucket(Route route, Duration wait) {
        windows.put(key(route), new Window(0, clock.instant().plus(wait)));
    }

    /** The key requests of this route are counted under: Discord's bucket hash (or the route) and the major parameter. */
    public synchronized String key(Route route) {
        return bucketOfRoute.getOrDefault(route.routeKey(), route.routeKey()) + ":" + route.majorParameter();
    }

    static Duration seconds(double seconds) {
        return Duration.ofNanos(Math.max(0, Math.round(seconds * 1_000_000_000d)));
    }
}
