package io.tilemud.infra;

import io.tilemud.contract.MetricNames;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tilemud.infra.GameMetrics.MINUTE;

/** One dashboard, {@code <stack>-overview}: admission, APIs, realtime, then every function. */
public final class OverviewDashboard extends Construct {

    /** The signals the alarms already watch, so the dashboard shows exactly what pages. */
    record AlarmedSignals(IMetric http5xx, IMetric ws5xx, IMetric queueDepth, IMetric failureRate,
                          IMetric availability, IMetric reconnectFailures) {
    }

    public OverviewDashboard(Construct scope, String id, String stackName, Functions functions, GameHttpApi http,
                             GameWebSocketApi realtime, AlarmedSignals alarmed) {
        super(scope, id);
        List<IMetric> invocations = new ArrayList<>();
        List<IMetric> errors = new ArrayList<>();
        List<IMetric> durations = new ArrayList<>();
        for (GameLambda lambda : functions.all()) {
            String key = lambda.spec().id().key();
            invocations.add(lambda.function().metricInvocations(labelled(key, "Sum")));
            errors.add(lambda.function().metricErrors(labelled(key, "Sum")));
            durations.add(lambda.function().metricDuration(labelled(key, "p95")));
        }
        Map<String, String> ws = GameMetrics.webSocketDimensions(realtime);

        Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(stackName + "-overview")
                .widgets(List.of(
                        List.<IWidget>of(TextWidget.Builder.create()
                                .markdown("# TileMUD " + stackName + "\nAdmission, realtime and function health.")
                                .width(24).height(2).build()),
                        List.of(graph("Admission attempts by outcome", List.of(
                                        GameMetrics.attempts(MetricNames.SUCCESS),
                                        GameMetrics.attempts(MetricNames.QUEUED),
                                        GameMetrics.attempts(MetricNames.FAILED),
                                        GameMetrics.attempts(MetricNames.TIMEOUT))),
                                graph("Admission failures by reason, timeouts, throttles", List.of(
                                        GameMetrics.failuresByReason(), GameMetrics.timeouts(),
                                        GameMetrics.throttlesByRoute())),
                                graph("Admission failure rate (%)", List.of(alarmed.failureRate()))),
                        List.of(graph("Queue depth and peak", List.of(alarmed.queueDepth(), GameMetrics.queuePeak())),
                                graph("Queue wait (ms)", List.of(
                                        GameMetrics.timer(MetricNames.QUEUE_WAIT, Map.of(), "Average", "average"),
                                        GameMetrics.timer(MetricNames.QUEUE_WAIT, Map.of(), "p95", "p95"))),
                                graph("Active sessions, forced refreshes", List.of(GameMetrics.activeSessions(),
                                        GameMetrics.forcedRefreshes()))),
                        List.of(graph("Availability SLO: intents served (%)", List.of(alarmed.availability())),
                                graph("Intents by outcome", List.of(GameMetrics.intents(MetricNames.OK),
                                        GameMetrics.intents(MetricNames.REJECTED),
                                        GameMetrics.intents(MetricNames.FAILED))),
                                graph("Reconnects and failure rate (%)", List.of(
                                        GameMetrics.reconnects(MetricNames.SUCCESS),
                                        GameMetrics.reconnects(MetricNames.FAILURE), alarmed.reconnectFailures()))),
                        List.of(graph("HTTP requests", List.of(http.api().metricCount(GameMetrics.sum(MINUTE)))),
                                graph("HTTP latency p95", List.of(http.api().metricLatency(
                                        MetricOptions.builder().statistic("p95").period(MINUTE).build()))),
                                graph("API server errors", List.of(alarmed.http5xx(), alarmed.ws5xx()))),
                        List.of(graph("WebSocket connects and messages", List.of(
                                        GameMetrics.apiGateway("ConnectCount", ws, MINUTE),
                                        GameMetrics.apiGateway("MessageCount", ws, MINUTE))),
                                graph("Action latency p95 by route, admission latency p95 (ms)", actionLatency()),
                                graph("Cache hit ratio (%)", List.of(
                                        GameMetrics.cacheHitRatio(MetricNames.CACHE_CONNECTIONS),
                                        GameMetrics.cacheHitRatio(MetricNames.CACHE_INSTANCE_MEMBERS)))),
                        List.of(graph("Function invocations", invocations),
                                graph("Function errors", errors),
                                graph("Function duration p95", durations))))
                .build();
    }

    private static List<IMetric> actionLatency() {
        List<IMetric> lines = new ArrayList<>();
        for (String route : MetricNames.INTENT_ROUTES) {
            lines.add(GameMetrics.timer(MetricNames.ACTION_LATENCY, Map.of(MetricNames.ROUTE, route), "p95", route));
        }
        lines.add(GameMetrics.timer(MetricNames.ADMISSION_LATENCY, Map.of(), "p95", "admission"));
        return lines;
    }

    private static MetricOptions labelled(String label, String statistic) {
        return MetricOptions.builder().label(label).statistic(statistic).period(MINUTE).build();
    }

    private static IWidget graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(List.copyOf(metrics)).width(8).height(6).build();
    }
}
