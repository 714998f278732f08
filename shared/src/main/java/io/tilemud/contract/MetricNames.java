package io.tilemud.contract;

import java.util.List;

/**
 * Micrometer meter names, tags and tag values (OPS-03), shared by the code that records them, the CDK alarms and
 * dashboard, and the tests that keep the two equal. In AWS each meter reaches CloudWatch namespace {@link #NAMESPACE}
 * through Embedded Metric Format log lines with its name unchanged and exactly its tags as dimensions; locally the
 * same meters are served at {@code /dev/metrics} in Prometheus format (dots become underscores there). The table in
 * {@code docs/metrics.md} says where each is recorded and which alarm watches it.
 *
 * <p>Units: counters are {@code Count} (the increase per invocation), timers are {@code Milliseconds} (every value,
 * so CloudWatch computes percentiles), gauges are {@code Count} unless noted.
 */
public final class MetricNames {
    public static final String NAMESPACE = "TileMUD";
    /** Every meter of ours starts with it; only these reach CloudWatch. */
    public static final String PREFIX = "tilemud.";

    // ---- tags (CloudWatch dimensions) ----
    /** Admission attempt outcome: {@link #SUCCESS}, {@link #QUEUED}, {@link #FAILED}, {@link #TIMEOUT}. */
    public static final String OUTCOME = "outcome";
    /** Failure reason: an {@code ErrorCode} name (a closed set, never client text). */
    public static final String REASON = "reason";
    /** Game instance id (operator-created, so bounded). */
    public static final String INSTANCE = "instance";
    /** WebSocket route key ({@code intent.move}, …) or {@link #ROUTE_CONNECT}. */
    public static final String ROUTE = "route";
    /** {@link #SUCCESS} or {@link #FAILURE} of a reconnect. */
    public static final String RESULT = "result";
    /** How a successful admission got its slot: {@code NEW}, {@code PENDING}, {@code RECONNECTED}, {@code REPLACED}. */
    public static final String HOW = "how";
    /** Session state a slot expired from: {@code pending} or {@code grace}. */
    public static final String FROM = "from";
    /** A per-container cache: {@link #CACHE_CONNECTIONS}, {@link #CACHE_INSTANCE_MEMBERS}, {@link #CACHE_USER_IDS}. */
    public static final String CACHE = "cache";
    /** {@link #HIT} or {@link #MISS} of a cache read. */
    public static final String LOOKUP = "lookup";

    // ---- tag values ----
    public static final String SUCCESS = "success";
    public static final String QUEUED = "queued";
    public static final String FAILED = "failed";
    public static final String TIMEOUT = "timeout";
    public static final String FAILURE = "failure";
    /** Intent outcomes: applied or replayed ({@link #OK}), refused by a game rule or limit ({@link #REJECTED}: the
     * service working), not served because something failed ({@link #FAILED}: what the availability SLO counts). */
    public static final String OK = "ok";
    public static final String REJECTED = "rejected";
    public static final String HIT = "hit";
    public static final String MISS = "miss";
    /** Route value of the admission request. */
    public static final String ROUTE_CONNECT = "POST /instances/{id}/connect";
    /** Intent routes, the {@link #ROUTE} values of {@link #ACTION_LATENCY}. */
    public static final List<String> INTENT_ROUTES = List.of(WebSocketRoutes.MOVE, WebSocketRoutes.CHAT,
            WebSocketRoutes.ACTION);
    public static final String CACHE_CONNECTIONS = "connections";
    public static final String CACHE_INSTANCE_MEMBERS = "instance-members";
    public static final String CACHE_USER_IDS = "user-ids";

    // ---- admission (ADM) ----
    /** Counter, tag {@link #OUTCOME}: every admission attempt. */
    public static final String ADMISSION_ATTEMPTS = "tilemud.admission.attempts";
    /** Counter, tag {@link #HOW}: attempts that got a slot. */
    public static final String ADMISSION_SUCCESSES = "tilemud.admission.successes";
    /** Counter, tag {@link #REASON}: attempts refused or failed, by ADM-20 reason ({@code TIMEOUT} included). */
    public static final String ADMISSION_FAILURES = "tilemud.admission.failures";
    /** Counter: attempts answered {@code TIMEOUT} at the admission deadline (ADM-13). */
    public static final String ADMISSION_TIMEOUTS = "tilemud.admission.timeouts";
    /** Timer (ms): admission attempt, request to outcome. */
    public static final String ADMISSION_LATENCY = "tilemud.admission.latency";
    /** Counter, tag {@link #ROUTE}: requests refused by a rate limit (ADM-12 lock, RT intent limits). */
    public static final String THROTTLES = "tilemud.throttles";

    // ---- queue (ADM-10, ADM-16, ADM-23) ----
    /** Gauge, tag {@link #INSTANCE}: current queue depth, as the last janitor sweep saw it. */
    public static final String QUEUE_DEPTH = "tilemud.queue.depth";
    /** Gauge, tag {@link #INSTANCE}: highest depth seen. */
    public static final String QUEUE_PEAK = "tilemud.queue.peak";
    /** Timer (ms): enqueue to promotion; CloudWatch's Average and p95 of it are the queue wait. */
    public static final String QUEUE_WAIT = "tilemud.queue.wait";
    /** Counter, tag {@link #INSTANCE}: queue heads promoted into a free slot (ADM-16). */
    public static final String QUEUE_PROMOTIONS = "tilemud.queue.promotions";
    /** Counter, tag {@link #INSTANCE}: queue entries dropped because their client stopped polling (ADM-23). */
    public static final String QUEUE_ABANDONED = "tilemud.queue.abandoned";

    // ---- sessions (ADM-17, ADM-18, RT-06) ----
    /** Gauge, tag {@link #INSTANCE}: sessions holding a slot. */
    public static final String ACTIVE_SESSIONS = "tilemud.sessions.active";
    /** Counter, tag {@link #RESULT}: reconnects within grace (admission with a reconnection token, WebSocket resume). */
    public static final String RECONNECTS = "tilemud.sessions.reconnects";
    /** Counter, tag {@link #FROM}: sessions whose slot expired (ADM-17, ADM-18). */
    public static final String SESSIONS_EXPIRED = "tilemud.sessions.expired";

    // ---- realtime (RT) ----
    /** Counter, tag {@link #OUTCOME} = {@link #OK}|{@link #REJECTED}|{@link #FAILED}: every state-changing intent. */
    public static final String INTENTS = "tilemud.realtime.intents";
    /** Timer (ms), tag {@link #ROUTE}: intent received → persisted → acknowledged. */
    public static final String ACTION_LATENCY = "tilemud.realtime.action.latency";
    /** Counter, tag {@link #INSTANCE}: clients sent away to reload after a build change (RT-10). */
    public static final String FORCED_REFRESHES = "tilemud.realtime.forced.refreshes";

    // ---- caches ----
    /** Counter, tags {@link #CACHE} and {@link #LOOKUP}: reads of a per-container cache. */
    public static final String CACHE_REQUESTS = "tilemud.cache.requests";
    /** Gauge (base unit {@code ratio}, 0..1, EMF unit None), tag {@link #CACHE}: hits / reads since the container started. */
    public static final String CACHE_HIT_RATIO = "tilemud.cache.hit.ratio";

    /** The OPS-03 list: every meter a deployment must show (the tests check each is emitted). */
    public static final List<String> OPS_03 = List.of(ADMISSION_ATTEMPTS, ADMISSION_SUCCESSES, ADMISSION_FAILURES,
            QUEUE_DEPTH, QUEUE_PEAK, QUEUE_WAIT, ADMISSION_TIMEOUTS, THROTTLES, ACTIVE_SESSIONS, RECONNECTS,
            ACTION_LATENCY, FORCED_REFRESHES, CACHE_HIT_RATIO);

    /** Counter, tag {@code kind}: Discord commands given up after their retries (the room shows voice UNAVAILABLE). */
    public static final String DISCORD_COMMANDS_FAILED = "tilemud.discord.commands.failed";
    /**
     * Counter, tag {@code reason} = fatal_close|reconnects_exhausted: the relay's gateway stopped and needs an operator
     * (DSC-02); the CDK alarm fires on any.
     */
    public static final String DISCORD_GATEWAY_ALERTS = "tilemud.discord.gateway.alerts";

    private MetricNames() {
    }
}
