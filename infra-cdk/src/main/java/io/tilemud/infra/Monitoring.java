package io.tilemud.infra;

import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

import static io.tilemud.infra.GameMetrics.FIVE_MINUTES;
import static io.tilemud.infra.GameMetrics.sum;

/**
 * Alarms — every function's errors and throttles, 5xx of both APIs, queue depth, admission failure rate, the
 * availability SLO of intents, reconnect failure rate — notifying one SNS topic on ALARM and OK, plus the overview
 * dashboard of the same signals and the rest of OPS-03.
 */
public final class Monitoring extends Construct {
    private final Topic topic;
    private final SnsAction action;
    private final String prefix;

    public Monitoring(Construct scope, String id, StackSettings settings, Functions functions, GameHttpApi http,
                      GameWebSocketApi realtime) {
        super(scope, id);
        prefix = settings.stackName();
        topic = Topic.Builder.create(this, "AlarmTopic").displayName("TileMUD alarms").build();
        settings.alarms().email().ifPresent(email -> topic.addSubscription(new EmailSubscription(email)));
        action = new SnsAction(topic);

        for (GameLambda lambda : functions.all()) {
            String key = lambda.spec().id().key();
            alarm(key + "-errors", "Function " + key + " returned errors",
                    lambda.function().metricErrors(sum(FIVE_MINUTES)), 5);
            alarm(key + "-throttles", "Function " + key + " was throttled (reserved concurrency or account limit)",
                    lambda.function().metricThrottles(sum(FIVE_MINUTES)), 1);
        }
        IMetric http5xx = http.api().metricServerError(sum(FIVE_MINUTES));
        alarm("http-5xx", "HTTP API answered 5xx", http5xx, 5);
        IMetric ws5xx = GameMetrics.webSocketServerErrors(realtime);
        alarm("websocket-5xx", "WebSocket API execution or integration errors", ws5xx, 5);
        IMetric queueDepth = GameMetrics.queueDepth();
        alarm("queue-depth", "An instance's admission queue is close to its cap of 1000", queueDepth,
                settings.alarms().queueDepthThreshold());
        IMetric failureRate = GameMetrics.admissionFailureRate(settings.alarms().admissionMinimumAttempts());
        alarm("admission-failure-rate",
                "Percent of admission attempts the service failed (internal error, cache down, timeout)",
                failureRate, settings.alarms().admissionFailurePercent());
        IMetric availability = GameMetrics.availability(settings.alarms().availabilityMinimumIntents());
        alarm("availability-slo", "Availability SLO breached: fewer than " + settings.alarms().availabilityPercent()
                        + " % of intents served over 5 minutes (OPS-03)", availability,
                settings.alarms().availabilityPercent(), ComparisonOperator.LESS_THAN_THRESHOLD);
        IMetric reconnectFailures = GameMetrics.reconnectFailureRate(settings.alarms().reconnectMinimumAttempts());
        alarm("reconnect-failure-rate", "Percent of reconnects within grace that failed over 5 minutes",
                reconnectFailures, settings.alarms().reconnectFailurePercent());

        new OverviewDashboard(this, "Overview", prefix, functions, http, realtime,
                new OverviewDashboard.AlarmedSignals(http5xx, ws5xx, queueDepth, failureRate, availability,
                        reconnectFailures));
    }

    public Topic topic() {
        return topic;
    }

    private void alarm(String name, String description, IMetric metric, int threshold) {
        alarm(name, description, metric, threshold, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD);
    }

    private void alarm(String name, String description, IMetric metric, double threshold,
                       ComparisonOperator comparison) {
        Alarm alarm = Alarm.Builder.create(this, name + "-alarm")
                .alarmName(prefix + "-" + name)
                .alarmDescription(description)
                .metric(metric)
                .threshold(threshold)
                .evaluationPeriods(1)
                .comparisonOperator(comparison)
                // No traffic is not an incident.
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
    }
}
