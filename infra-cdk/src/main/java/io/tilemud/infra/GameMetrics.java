package io.tilemud.infra;

import io.tilemud.contract.MetricNames;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics alarms and dashboard share: TileMUD's own meters (OPS-03) as the EMF lines of the functions put them
 * into CloudWatch — name unchanged, exactly the meter's tags as dimensions (see {@link MetricNames} and
 * {@code docs/metrics.md}) — and the WebSocket API metrics the L2 construct does not offer. A test runs the real
 * handlers and checks every TileMUD metric used here against the EMF lines they write.
 */
final class GameMetrics {
    static final Duration MINUTE = Duration.minutes(1);
    static final Duration FIVE_MINUTES = Duration.minutes(5);
    /** Admission failures the service caused; rejections a player caused never page anyone. */
    static final List<String> SERVICE_FAILURE_REASONS = List.of("INTERNAL_ERROR", "SERVICE_DEGRADED", "TIMEOUT");

    private GameMetrics() {
    }

    static MetricOptions sum(Duration period) {
        return MetricOptions.builder().statistic("Sum").period(period).build();
    }

    /** WebSocket APIs have no 5XXError metric: ExecutionError and IntegrationError are their server-side failures. */
    static IMetric webSocketServerErrors(GameWebSocketApi realtime) {
        Map<String, String> dimensions = webSocketDimensions(realtime);
        return MathExpression.Builder.create()
                .label("WebSocket server errors")
                .expression("FILL(execution, 0) + FILL(integration, 0)")
                .usingMetrics(Map.of(
                        "execution", apiGateway("ExecutionError", dimensions, FIVE_MINUTES),
                        "integration", apiGateway("IntegrationError", dimensions, FIVE_MINUTES)))
                .period(FIVE_MINUTES)
                .build();
    }

    static Map<String, String> webSocketDimensions(GameWebSocketApi realtime) {
        return Map.of("ApiId", realtime.api().getApiId(), "Stage", realtime.stage().getStageName());
    }

    static Metric apiGateway(String name, Map<String, String> dimensions, Duration period) {
        return Metric.Builder.create().namespace("AWS/ApiGateway").metricName(name).dimensionsMap(dimensions)
                .statistic("Sum").period(period).build();
    }

    /**
     * Deepest queue over all instances. Queue depth is a gauge per game instance and instances come and go, so a
     * Metrics Insights query over the gauge's one dimension set (one aggregated series, alarmable) replaces a
     * metric per instance.
     */
    static IMetric queueDepth() {
        return insights("Deepest admission queue", "MAX", MetricNames.QUEUE_DEPTH, MetricNames.INSTANCE);
    }

    static IMetric queuePeak() {
        return insights("Highest queue peak", "MAX", MetricNames.QUEUE_PEAK, MetricNames.INSTANCE);
    }

    static IMetric activeSessions() {
        return insights("Active sessions (all instances)", "SUM", MetricNames.ACTIVE_SESSIONS, MetricNames.INSTANCE);
    }

    /**
     * Percent of admission attempts the service failed: internal errors, cache outages and timeouts. Rejections a
     * player caused (wrong build, rate limit, full queue...) are the system working and never page anyone, so they
     * are left out of both sides of the ratio. Judged only once there are enough attempts for a rate to mean
     * something.
     *
     * @param minimumAttempts attempts per minute below which the rate reads 0
     */
    static IMetric admissionFailureRate(int minimumAttempts) {
        Map<String, IMetric> inputs = new LinkedHashMap<>();
        inputs.put("success", attempts(MetricNames.SUCCESS));
        inputs.put("queued", attempts(MetricNames.QUEUED));
        StringBuilder failed = new StringBuilder("(0");
        for (String reason : SERVICE_FAILURE_REASONS) {
            String id = "f" + reason.toLowerCase(java.util.Locale.ROOT).replace("_", "");
            inputs.put(id, failures(reason));
            failed.append(" + FILL(").append(id).append(", 0)");
        }
        failed.append(")");
        String judged = "(FILL(success, 0) + FILL(queued, 0) + " + failed + ")";
        return MathExpression.Builder.create()
                .label("Admission failure rate (%)")
                .expression("IF(" + judged + " >= " + minimumAttempts + ", 100 * " + failed + " / " + judged + ", 0)")
                .usingMetrics(inputs)
                .period(MINUTE)
                .build();
    }

    /**
     * Availability SLO (OPS-03): percent of state-changing intents served over 5 minutes. A rule saying no (an
     * invalid move, a rate limit) is the service working; only {@code failed} (storage or lookup down) counts
     * against it. Reads 100 below {@code minimumIntents}, so a quiet night with one failure does not page.
     */
    static IMetric availability(int minimumIntents) {
        Map<String, IMetric> inputs = new LinkedHashMap<>();
        inputs.put("ok", intents(MetricNames.OK));
        inputs.put("rejected", intents(MetricNames.REJECTED));
        inputs.put("failed", intents(MetricNames.FAILED));
        String total = "(FILL(ok, 0) + FILL(rejected, 0) + FILL(failed, 0))";
        return MathExpression.Builder.create()
                .label("Intents served (%)")
                .expression("IF(" + total + " >= " + minimumIntents + ", 100 * (FILL(ok, 0) + FILL(rejected, 0)) / "
                        + total + ", 100)")
                .usingMetrics(inputs)
                .period(FIVE_MINUTES)
                .build();
    }

    /** Percent of reconnects within grace that failed over 5 minutes; 0 below {@code minimumReconnects}. */
    static IMetric reconnectFailureRate(int minimumReconnects) {
        Map<String, IMetric> inputs = new LinkedHashMap<>();
        inputs.put("ok", reconnects(MetricNames.SUCCESS));
        inputs.put("failed", reconnects(MetricNames.FAILURE));
        String total = "(FILL(ok, 0) + FILL(failed, 0))";
        return MathExpression.Builder.create()
                .label("Reconnect failures (%)")
                .expression("IF(" + total + " >= " + minimumReconnects + ", 100 * FILL(failed, 0) / " + total + ", 0)")
                .usingMetrics(inputs)
                .period(FIVE_MINUTES)
                .build();
    }

    /** Hits / reads of one per-container cache, in percent. */
    static IMetric cacheHitRatio(String cache) {
        // Ids are unique per graph, and one graph shows several caches.
        String id = cache.replaceAll("[^A-Za-z0-9]", "").toLowerCase(java.util.Locale.ROOT);
        Map<String, IMetric> inputs = new LinkedHashMap<>();
        inputs.put(id + "hit", counter(MetricNames.CACHE_REQUESTS, Map.of(MetricNames.CACHE, cache,
                MetricNames.LOOKUP, MetricNames.HIT), MINUTE, MetricNames.HIT));
        inputs.put(id + "miss", counter(MetricNames.CACHE_REQUESTS, Map.of(MetricNames.CACHE, cache,
                MetricNames.LOOKUP, MetricNames.MISS), MINUTE, MetricNames.MISS));
        return MathExpression.Builder.create()
                .label(cache + " cache hits (%)")
                .expression("100 * FILL(" + id + "hit, 0) / (FILL(" + id + "hit, 0) + FILL(" + id + "miss, 0))")
                .usingMetrics(inputs)
                .period(MINUTE)
                .build();
    }

    /** Admission attempts of one outcome. */
    static Metric attempts(String outcome) {
        return counter(MetricNames.ADMISSION_ATTEMPTS, Map.of(MetricNames.OUTCOME, outcome), MINUTE, outcome);
    }

    /** Failed attempts of every reason, one line per reason (dashboard only: alarms cannot group). */
    static IMetric failuresByReason() {
        return grouped("failed by reason", "SUM", MetricNames.ADMISSION_FAILURES, MetricNames.REASON);
    }

    static IMetric throttlesByRoute() {
        return grouped("throttled", "SUM", MetricNames.THROTTLES, MetricNames.ROUTE);
    }

    static IMetric forcedRefreshes() {
        return insights("Forced refreshes", "SUM", MetricNames.FORCED_REFRESHES, MetricNames.INSTANCE);
    }

    static Metric timeouts() {
        return counter(MetricNames.ADMISSION_TIMEOUTS, Map.of(), MINUTE, "timed out");
    }

    static Metric intents(String outcome) {
        return counter(MetricNames.INTENTS, Map.of(MetricNames.OUTCOME, outcome), FIVE_MINUTES, outcome);
    }

    static Metric reconnects(String result) {
        return counter(MetricNames.RECONNECTS, Map.of(MetricNames.RESULT, result), FIVE_MINUTES, result);
    }

    /** A timer's statistic ({@code Average}, {@code p95}, ...): EMF carries every value, so CloudWatch has them all. */
    static Metric timer(String meterName, Map<String, String> dimensions, String statistic, String label) {
        return Metric.Builder.create().namespace(MetricNames.NAMESPACE).metricName(meterName)
                .dimensionsMap(dimensions).statistic(statistic).period(MINUTE).label(label).build();
    }

    private static Metric failures(String reason) {
        return counter(MetricNames.ADMISSION_FAILURES, Map.of(MetricNames.REASON, reason), MINUTE, reason);
    }

    /** One series: CloudWatch identifies it by the exact dimension set the EMF line declared. */
    private static Metric counter(String name, Map<String, String> dimensions, Duration period, String label) {
        return Metric.Builder.create()
                .namespace(MetricNames.NAMESPACE)
                .metricName(name)
                .dimensionsMap(dimensions)
                .statistic("Sum")
                .period(period)
                .label(label)
                .build();
    }

    /** One aggregated series over every value of {@code dimension} (Metrics Insights; alarmable). */
    private static IMetric insights(String label, String function, String meterName, String dimension) {
        return MathExpression.Builder.create().label(label)
                .expression("SELECT " + function + "(\"" + meterName + "\") FROM SCHEMA(\"" + MetricNames.NAMESPACE
                        + "\", " + dimension + ")")
                .period(MINUTE).build();
    }

    /** One series per value of {@code dimension} (dashboard only). */
    private static IMetric grouped(String label, String function, String meterName, String dimension) {
        return MathExpression.Builder.create().label(label)
                .expression("SELECT " + function + "(\"" + meterName + "\") FROM SCHEMA(\"" + MetricNames.NAMESPACE
                        + "\", " + dimension + ") GROUP BY " + dimension)
                .period(MINUTE).build();
    }
}
