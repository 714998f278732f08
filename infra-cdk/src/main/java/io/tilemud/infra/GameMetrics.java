package io.tilemud.infra;

import io.tilemud.contract.MetricNames;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics alarms and dashboard share: TileMUD's own meters (OPS-03) as CloudWatch sees them, and the WebSocket
 * API metrics the L2 construct does not offer.
 */
final class GameMetrics {
    static final Duration MINUTE = Duration.minutes(1);
    static final Duration FIVE_MINUTES = Duration.minutes(5);

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
     * Deepest queue over all instances. Queue depth is a gauge tagged per game instance and instances come and go,
     * so a Metrics Insights query (one aggregated series, alarmable) replaces a metric per instance.
     */
    static IMetric queueDepth() {
        return insights("Deepest admission queue",
                "SELECT MAX(\"" + MicrometerMetrics.gauge(MetricNames.QUEUE_DEPTH) + "\") FROM \""
                        + MetricNames.NAMESPACE + "\"");
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
        inputs.put("success", attempts(ContractAdditions.OUTCOME_SUCCESS));
        inputs.put("queued", attempts(ContractAdditions.OUTCOME_QUEUED));
        // A timeout outcome may or may not carry the TIMEOUT reason: count both series.
        inputs.put("timedout", attempts(ContractAdditions.OUTCOME_TIMEOUT));
        inputs.put("timedoutr", attemptsCounter(ContractAdditions.OUTCOME_TIMEOUT, ContractAdditions.REASON_TIMEOUT));
        inputs.put("internal", failures(ContractAdditions.REASON_INTERNAL_ERROR));
        inputs.put("degraded", failures(ContractAdditions.REASON_SERVICE_DEGRADED));
        inputs.put("late", failures(ContractAdditions.REASON_TIMEOUT));
        String failed = "(FILL(timedout, 0) + FILL(timedoutr, 0) + FILL(internal, 0) + FILL(degraded, 0)"
                + " + FILL(late, 0))";
        String judged = "(FILL(success, 0) + FILL(queued, 0) + " + failed + ")";
        return MathExpression.Builder.create()
                .label("Admission failure rate (%)")
                .expression("IF(" + judged + " >= " + minimumAttempts + ", 100 * " + failed + " / " + judged + ", 0)")
                .usingMetrics(inputs)
                .period(MINUTE)
                .build();
    }

    /** Attempts of one outcome that carry no failure reason. */
    static Metric attempts(String outcome) {
        return attemptsCounter(outcome, ContractAdditions.NO_REASON);
    }

    /** Every failed attempt whatever its reason (a dashboard line; alarms cannot sum unknown dimension values). */
    static IMetric allFailures() {
        return insights("failed (any reason)",
                "SELECT SUM(\"" + MicrometerMetrics.counter(MetricNames.ADMISSION_ATTEMPTS) + "\") FROM \""
                        + MetricNames.NAMESPACE + "\" WHERE " + ContractAdditions.OUTCOME_TAG + " = '"
                        + ContractAdditions.OUTCOME_FAILED + "'");
    }

    /** Timers carry tags, so the mean over all their series comes from a Metrics Insights query. */
    static IMetric timerAverage(String meterName) {
        return insights(meterName, "SELECT AVG(\"" + MicrometerMetrics.timerAverage(meterName) + "\") FROM \""
                + MetricNames.NAMESPACE + "\"");
    }

    private static Metric failures(String reason) {
        return attemptsCounter(ContractAdditions.OUTCOME_FAILED, reason);
    }

    /** One series of the attempts counter: CloudWatch identifies it by the exact dimension set outcome + reason. */
    private static Metric attemptsCounter(String outcome, String reason) {
        return Metric.Builder.create()
                .namespace(MetricNames.NAMESPACE)
                .metricName(MicrometerMetrics.counter(MetricNames.ADMISSION_ATTEMPTS))
                .dimensionsMap(Map.of(ContractAdditions.OUTCOME_TAG, outcome, ContractAdditions.REASON_TAG, reason))
                .statistic("Sum")
                .period(MINUTE)
                .label(ContractAdditions.NO_REASON.equals(reason) ? outcome : outcome + " " + reason)
                .build();
    }

    private static IMetric insights(String label, String query) {
        return MathExpression.Builder.create().label(label).expression(query).period(MINUTE).build();
    }
}
