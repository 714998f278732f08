package io.tilemud.contract;

/**
 * Micrometer meter names (OPS-03). In AWS they are published to CloudWatch namespace {@link #NAMESPACE} with the
 * names unchanged, so the CDK alarms and dashboard use these constants too.
 */
public final class MetricNames {
    public static final String NAMESPACE = "TileMUD";

    /** Counter, tag {@code outcome} = success|queued|failed|timeout and {@code reason} for failures. */
    public static final String ADMISSION_ATTEMPTS = "tilemud.admission.attempts";
    /** Timer: end-to-end admission latency. */
    public static final String ADMISSION_LATENCY = "tilemud.admission.latency";
    /** Gauge, tag {@code instance}: current queue depth. */
    public static final String QUEUE_DEPTH = "tilemud.queue.depth";
    /** Gauge, tag {@code instance}: highest depth seen. */
    public static final String QUEUE_PEAK = "tilemud.queue.peak";
    /** Timer: time from enqueue to promotion. */
    public static final String QUEUE_WAIT = "tilemud.queue.wait";
    /** Gauge, tag {@code instance}: sessions holding a slot. */
    public static final String ACTIVE_SESSIONS = "tilemud.sessions.active";
    /** Counter, tag {@code result} = success|failure. */
    public static final String RECONNECTS = "tilemud.sessions.reconnects";
    /** Timer: intent received → persisted → acked. */
    public static final String ACTION_LATENCY = "tilemud.realtime.action.latency";

    /** Counter, tag {@code instance}: queue heads promoted into a free slot (ADM-16). */
    public static final String QUEUE_PROMOTIONS = "tilemud.queue.promotions";
    /** Counter, tag {@code instance}: queue entries dropped because their client stopped polling (ADM-23). */
    public static final String QUEUE_ABANDONED = "tilemud.queue.abandoned";
    /** Counter, tag {@code from} = pending|grace: sessions whose slot expired (ADM-17, ADM-18). */
    public static final String SESSIONS_EXPIRED = "tilemud.sessions.expired";
    /** Counter: admission attempts refused by the failure rate limit (ADM-12). */
    public static final String ADMISSION_THROTTLES = "tilemud.admission.throttles";

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
