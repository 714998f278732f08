package io.tilemud.infra;

import io.tilemud.contract.MetricNames;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.tilemud.infra.TemplateIndex.properties;
import static io.tilemud.infra.TemplateIndex.refs;
import static io.tilemud.infra.TemplateIndex.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonitoringTest {
    private final TemplateIndex stack = SynthesizedStack.defaults();
    private final List<Map<String, Object>> alarms = stack.ofType("AWS::CloudWatch::Alarm").values().stream()
            .map(TemplateIndex::properties).toList();

    @Test
    void lambdaAlarms_everyFunction_hasErrorsAndThrottles() {
        // GIVEN every function
        stack.functions().forEach((id, logicalId) -> {
            // WHEN looking for alarms on its metrics
            Set<String> metrics = alarms.stream()
                    .filter(a -> "AWS/Lambda".equals(a.get("Namespace")))
                    .filter(a -> refs(a.get("Dimensions")).contains(logicalId))
                    .map(a -> (String) a.get("MetricName")).collect(Collectors.toSet());

            // THEN both Errors and Throttles are watched
            assertEquals(Set.of("Errors", "Throttles"), metrics, id.key());
        });
    }

    @Test
    void apiAlarms_bothApis_watchServerErrors() {
        // GIVEN the two APIs
        String http = stack.apiLogicalId("HTTP");
        String ws = stack.apiLogicalId("WEBSOCKET");

        // WHEN looking for server-error alarms
        boolean http5xx = alarms.stream().anyMatch(a -> "5xx".equals(a.get("MetricName"))
                && refs(a.get("Dimensions")).contains(http));
        boolean ws5xx = alarms.stream().anyMatch(a -> a.toString().contains("ExecutionError")
                && a.toString().contains("IntegrationError") && refs(a.get("Metrics")).contains(ws));

        // THEN both exist
        assertTrue(http5xx, "HTTP 5xx alarm");
        assertTrue(ws5xx, "WebSocket server error alarm");
    }

    @Test
    void queueDepthAlarm_queriesTheGaugeAcrossInstances() {
        // GIVEN the queue depth gauge, one series per instance
        String metric = MetricNames.QUEUE_DEPTH;

        // WHEN looking for the alarm on it
        var alarm = single(alarms.stream().filter(a -> a.toString().contains(metric)).collect(Collectors.toSet()));

        // THEN it is a Metrics Insights query over the gauge's dimension set with the configured threshold
        assertTrue(alarm.toString().contains("SELECT MAX(\"" + metric + "\") FROM SCHEMA(\"" + MetricNames.NAMESPACE
                + "\", " + MetricNames.INSTANCE + ")"), alarm.toString());
        assertEquals(800, ((Number) alarm.get("Threshold")).intValue());
    }

    @Test
    void failureRateAlarm_isMetricMathOnAttemptsAndServiceFailures() {
        // GIVEN the admission counters
        // WHEN looking for the alarm built on the failures
        var alarm = single(alarms.stream().filter(a -> a.toString().contains(MetricNames.ADMISSION_FAILURES))
                .collect(Collectors.toSet()));

        // THEN a math expression over the outcome and reason series yields a percentage compared to the threshold
        assertTrue(alarm.toString().contains("100 * "), alarm.toString());
        assertEquals(20, ((Number) alarm.get("Threshold")).intValue());
        // ...reading each series by its exact dimensions, as AdmissionMetrics tags them
        assertEquals(Set.of(Map.of("Name", MetricNames.OUTCOME, "Value", MetricNames.SUCCESS)),
                dimensionsOf(alarm, "success"));
        assertEquals(Set.of(Map.of("Name", MetricNames.REASON, "Value", "INTERNAL_ERROR")),
                dimensionsOf(alarm, "finternalerror"));
        assertEquals(Set.of(Map.of("Name", MetricNames.REASON, "Value", "TIMEOUT")), dimensionsOf(alarm, "ftimeout"));
    }

    @Test
    void availabilityAlarm_firesBelow99Point5PercentOfIntentsServedOverFiveMinutes() {
        // GIVEN the intents counter by outcome
        var alarm = single(alarms.stream().filter(a -> String.valueOf(a.get("AlarmName")).endsWith("-availability-slo"))
                .collect(Collectors.toSet()));

        // THEN the SLO: served share of intents over 5 minutes, alarming below 99.5 %
        assertEquals(99.5, ((Number) alarm.get("Threshold")).doubleValue());
        assertEquals("LessThanThreshold", alarm.get("ComparisonOperator"));
        assertEquals(Set.of(Map.of("Name", MetricNames.OUTCOME, "Value", MetricNames.FAILED)),
                dimensionsOf(alarm, "failed"));
        assertTrue(alarm.toString().contains(MetricNames.INTENTS));
        assertTrue(alarm.toString().contains("Period=300"), alarm.toString());
    }

    @Test
    void reconnectAlarm_isTheFailedShareOfReconnects() {
        var alarm = single(alarms.stream()
                .filter(a -> String.valueOf(a.get("AlarmName")).endsWith("-reconnect-failure-rate"))
                .collect(Collectors.toSet()));

        assertEquals(20, ((Number) alarm.get("Threshold")).intValue());
        assertEquals(Set.of(Map.of("Name", MetricNames.RESULT, "Value", MetricNames.FAILURE)),
                dimensionsOf(alarm, "failed"));
        assertTrue(alarm.toString().contains(MetricNames.RECONNECTS));
    }

    @SuppressWarnings("unchecked")
    private static Set<Object> dimensionsOf(Map<String, Object> alarm, String metricId) {
        var query = ((List<Map<String, Object>>) alarm.get("Metrics")).stream()
                .filter(m -> metricId.equals(m.get("Id"))).findFirst().orElseThrow();
        var metric = (Map<String, Object>) ((Map<String, Object>) query.get("MetricStat")).get("Metric");
        return Set.copyOf((List<Object>) metric.get("Dimensions"));
    }

    @Test
    void alarms_everyAlarm_notifiesTheSnsTopic() {
        // GIVEN the alarm topic
        String topic = single(stack.ofType("AWS::SNS::Topic").keySet());

        // WHEN reading every alarm's actions
        // THEN each notifies the topic on ALARM and on OK
        assertEquals(2 * FunctionId.values().length + 6, alarms.size());
        alarms.forEach(a -> {
            assertEquals(Set.of(topic), refs(a.get("AlarmActions")));
            assertEquals(Set.of(topic), refs(a.get("OKActions")));
        });
    }

    @Test
    void dashboard_exists() {
        // GIVEN the default settings
        // WHEN the stack is synthesized
        // THEN one dashboard shows the same signals
        stack.template().resourceCountIs("AWS::CloudWatch::Dashboard", 1);
        var body = properties(single(new HashSet<>(stack.ofType("AWS::CloudWatch::Dashboard").values())))
                .get("DashboardBody").toString();
        assertTrue(body.contains("Admission attempts by outcome"));
        assertTrue(body.contains("Deepest admission queue"));
    }
}
