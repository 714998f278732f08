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
        // GIVEN the queue depth gauge as Micrometer publishes it
        String metric = MicrometerMetrics.gauge(MetricNames.QUEUE_DEPTH);

        // WHEN looking for the alarm on it
        var alarm = single(alarms.stream().filter(a -> a.toString().contains(metric)).collect(Collectors.toSet()));

        // THEN it is a Metrics Insights query over the TileMUD namespace with the configured threshold
        assertTrue(alarm.toString().contains("SELECT MAX(\"" + metric + "\") FROM \"" + MetricNames.NAMESPACE + "\""));
        assertEquals(800, ((Number) alarm.get("Threshold")).intValue());
    }

    @Test
    void failureRateAlarm_isMetricMathOnAdmissionAttempts() {
        // GIVEN the admission attempts counter as Micrometer publishes it
        String metric = MicrometerMetrics.counter(MetricNames.ADMISSION_ATTEMPTS);

        // WHEN looking for the alarm built on it
        var alarm = single(alarms.stream().filter(a -> a.toString().contains(metric)).collect(Collectors.toSet()));

        // THEN a math expression over the outcome/reason series yields a percentage compared to the threshold
        assertTrue(alarm.toString().contains("100 * "), alarm.toString());
        assertTrue(alarm.toString().contains(MetricNames.NAMESPACE));
        assertTrue(alarm.toString().contains(ContractAdditions.REASON_INTERNAL_ERROR));
        assertEquals(20, ((Number) alarm.get("Threshold")).intValue());
        // ...reading each series by its exact dimensions, as AdmissionMetrics tags them (reason "none" if no failure)
        assertEquals(Set.of(Map.of("Name", "outcome", "Value", "success"), Map.of("Name", "reason", "Value", "none")),
                dimensionsOf(alarm, "success"));
        assertEquals(Set.of(Map.of("Name", "outcome", "Value", "failed"),
                Map.of("Name", "reason", "Value", "INTERNAL_ERROR")), dimensionsOf(alarm, "internal"));
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
        assertEquals(2 * FunctionId.values().length + 4, alarms.size());
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
