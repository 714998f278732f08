package io.tilemud.localstack.metrics;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import io.tilemud.contract.MetricNames;
import io.tilemud.error.ErrorCode;
import io.tilemud.logging.AdmissionEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What leaves the functions during one {@link ScriptedPlay}: the EMF lines (shape of every OPS-03 metric, and that
 * every alarm and dashboard widget of the synthesized stack reads a metric + dimension set they contain) and the log
 * lines (each OPS-02 event once per attempt with its correlation id; no token, secret or email anywhere).
 */
class PlaySessionObservabilityTest {
    /** Dimension keys and EMF unit of each metric, as {@link MetricNames} documents them. */
    private static final Map<String, Shape> SHAPES = Map.ofEntries(
            Map.entry(MetricNames.ADMISSION_ATTEMPTS, new Shape("Count", MetricNames.OUTCOME)),
            Map.entry(MetricNames.ADMISSION_SUCCESSES, new Shape("Count", MetricNames.HOW)),
            Map.entry(MetricNames.ADMISSION_FAILURES, new Shape("Count", MetricNames.REASON)),
            Map.entry(MetricNames.ADMISSION_TIMEOUTS, new Shape("Count")),
            Map.entry(MetricNames.ADMISSION_LATENCY, new Shape("Milliseconds")),
            Map.entry(MetricNames.THROTTLES, new Shape("Count", MetricNames.ROUTE)),
            Map.entry(MetricNames.QUEUE_DEPTH, new Shape("Count", MetricNames.INSTANCE)),
            Map.entry(MetricNames.QUEUE_PEAK, new Shape("Count", MetricNames.INSTANCE)),
            Map.entry(MetricNames.QUEUE_WAIT, new Shape("Milliseconds")),
            Map.entry(MetricNames.QUEUE_PROMOTIONS, new Shape("Count", MetricNames.INSTANCE)),
            Map.entry(MetricNames.ACTIVE_SESSIONS, new Shape("Count", MetricNames.INSTANCE)),
            Map.entry(MetricNames.RECONNECTS, new Shape("Count", MetricNames.RESULT)),
            Map.entry(MetricNames.INTENTS, new Shape("Count", MetricNames.OUTCOME)),
            Map.entry(MetricNames.ACTION_LATENCY, new Shape("Milliseconds", MetricNames.ROUTE)),
            Map.entry(MetricNames.FORCED_REFRESHES, new Shape("Count", MetricNames.INSTANCE)),
            Map.entry(MetricNames.CACHE_REQUESTS, new Shape("Count", MetricNames.CACHE, MetricNames.LOOKUP)),
            Map.entry(MetricNames.CACHE_HIT_RATIO, new Shape("None", MetricNames.CACHE)));

    private static final List<String> LOG_LINES = Collections.synchronizedList(new ArrayList<>());
    private static AppenderBase<ILoggingEvent> capture;
    private static ScriptedPlay play;
    private static List<Observed> emitted;

    private record Shape(String unit, Set<String> dimensions) {
        Shape(String unit, String... dimensions) {
            this(unit, Set.of(dimensions));
        }
    }

    @BeforeAll
    static void playOnce() {
        // Every log line exactly as the production encoder writes it (logback.xml's JSON appender).
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        Encoder<ILoggingEvent> encoder = ((OutputStreamAppender<ILoggingEvent>) root.getAppender("JSON")).getEncoder();
        capture = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                LOG_LINES.add(new String(encoder.encode(event), StandardCharsets.UTF_8));
            }
        };
        capture.setContext(logging);
        capture.start();
        root.addAppender(capture);
        play = new ScriptedPlay();
        play.run();
        emitted = Observed.of(play.emf());
    }

    @AfterAll
    static void stop() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                .detachAppender(capture);
        if (play != null) {
            play.close();
        }
    }

    @Test
    void emf_everyOps03Metric_hasNamespaceDimensionsUnitAndAValue() {
        // GIVEN the EMF lines of the session
        // WHEN looking at each metric of OPS-03 (and the rest of MetricNames' meters the session reaches)
        for (Map.Entry<String, Shape> expected : SHAPES.entrySet()) {
            List<Observed> series = emitted.stream().filter(o -> o.name().equals(expected.getKey())).toList();

            // THEN it was written, in our namespace, with exactly its tags as dimensions, in its unit, above zero
            assertFalse(series.isEmpty(), expected.getKey() + " never written");
            for (Observed o : series) {
                assertEquals(MetricNames.NAMESPACE, o.namespace(), o.toString());
                assertEquals(expected.getValue().dimensions(), o.dimensions().keySet(), o.toString());
                assertEquals(expected.getValue().unit(), o.unit(), o.toString());
            }
            assertTrue(series.stream().flatMap(o -> o.values().stream()).anyMatch(v -> v > 0),
                    expected.getKey() + " never above zero: " + series);
        }
        assertTrue(SHAPES.keySet().containsAll(MetricNames.OPS_03), "every OPS-03 metric is checked");
    }

    @Test
    void emf_timers_carryEveryValueNotAnAverage() {
        // GIVEN the session's eight move intents on alice's socket and one on bob's, one invocation each
        List<Double> moves = emitted.stream().filter(o -> o.name().equals(MetricNames.ACTION_LATENCY))
                .filter(o -> io.tilemud.contract.WebSocketRoutes.MOVE.equals(o.dimensions().get(MetricNames.ROUTE)))
                .flatMap(o -> o.values().stream()).toList();

        // THEN each answered move left its own latency value (CloudWatch computes p95 from them)
        assertTrue(moves.size() >= 4, "move latencies: " + moves);
        assertTrue(emitted.stream().filter(o -> o.name().equals(MetricNames.QUEUE_WAIT))
                .mapToLong(o -> o.values().size()).sum() >= 1, "queue wait values");
    }


    @Test
    void emf_frameworkMeters_neverReachCloudWatch() {
        // GIVEN Lettuce, HikariCP and Micronaut's HTTP meters, which exist in the registry
        // THEN none is written: each would be a billed custom metric
        List<String> foreign = emitted.stream().map(Observed::name).filter(n -> !n.startsWith(MetricNames.PREFIX))
                .distinct().toList();
        assertEquals(List.of(), foreign);
        assertTrue(emitted.stream().allMatch(o -> o.namespace().equals(MetricNames.NAMESPACE)));
    }

    @Test
    void alarmsAndDashboard_everyTileMudMetric_isOneTheHandlersEmit() {
        // GIVEN what the handlers wrote: metric name → dimension key sets, and (name, key) → values seen
        Map<String, Set<Set<String>>> keySets = new HashMap<>();
        Map<String, Set<String>> values = new HashMap<>();
        for (Observed o : emitted) {
            keySets.computeIfAbsent(o.name(), n -> new HashSet<>()).add(o.dimensions().keySet());
            o.dimensions().forEach((k, v) -> values.computeIfAbsent(o.name() + "|" + k, x -> new HashSet<>()).add(v));
        }
        // Values the script cannot provoke without an outage; each is a value the code records on that path.
        Map<String, Set<String>> recordedOnFaults = Map.of(
                MetricNames.ADMISSION_FAILURES + "|" + MetricNames.REASON,
                Arrays.stream(ErrorCode.values()).map(Enum::name).collect(Collectors.toSet()),
                MetricNames.INTENTS + "|" + MetricNames.OUTCOME, Set.of(MetricNames.FAILED));

        // WHEN reading every metric of every alarm and dashboard widget of the synthesized stack
        SynthesizedMetrics used = SynthesizedMetrics.ofDefaultStack();
        assertTrue(used.plain().size() >= 10 && used.queries().size() >= 5, "the stack reads our metrics: " + used);

        // THEN each TileMUD metric names an emitted metric with exactly an emitted dimension set and known values
        for (SynthesizedMetrics.Plain metric : used.plain()) {
            assertTrue(keySets.getOrDefault(metric.name(), Set.of()).contains(metric.dimensions().keySet()),
                    metric.where() + " reads " + metric.name() + " " + metric.dimensions().keySet()
                            + ", written: " + keySets.get(metric.name()));
            metric.dimensions().forEach((k, v) -> {
                String key = metric.name() + "|" + k;
                assertTrue(values.getOrDefault(key, Set.of()).contains(v)
                                || recordedOnFaults.getOrDefault(key, Set.of()).contains(v),
                        metric.where() + " reads " + key + "=" + v + ", written: " + values.get(key));
            });
        }
        for (SynthesizedMetrics.Query query : used.queries()) {
            assertEquals(MetricNames.NAMESPACE, query.namespace(), query.where());
            assertTrue(keySets.getOrDefault(query.name(), Set.of()).contains(query.dimensions()),
                    query.where() + " queries " + query.name() + " " + query.dimensions() + ", written: "
                            + keySets.get(query.name()));
        }
        // AND the alarms exist
        assertTrue(used.alarmNames().stream().anyMatch(n -> n.endsWith("-availability-slo")), used.alarmNames().toString());
        assertTrue(used.alarmNames().stream().anyMatch(n -> n.endsWith("-reconnect-failure-rate")));
    }

    @Test
    void logs_everyFlow_leakNoTokenSecretOrEmail() {
        // GIVEN every log line and EMF line of the session, and what must never appear in them
        List<String> lines = new ArrayList<>(LOG_LINES);
        lines.addAll(play.emfLines);
        Set<String> forbidden = new HashSet<>(play.secrets);
        forbidden.add(ScriptedPlay.EMAIL);
        forbidden.add(String.valueOf(play.context.getProperty("tilemud.rooms.invite-key", String.class).orElseThrow()));
        play.context.getProperty("datasources.default.password", String.class).filter(p -> !p.isBlank())
                .ifPresent(forbidden::add);
        assertTrue(lines.size() > 50 && forbidden.size() > 10, lines.size() + " lines, " + forbidden.size() + " secrets");
        Pattern jwt = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.");
        Pattern email = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");

        // WHEN scanning them
        List<String> hits = new ArrayList<>();
        for (String line : lines) {
            forbidden.stream().filter(line::contains).forEach(s -> hits.add(abbreviate(s) + " in " + line));
            if (jwt.matcher(line).find()) {
                hits.add("a JWT in " + line);
            }
            Matcher m = email.matcher(line);
            if (m.find()) {
                hits.add("an email (" + m.group() + ") in " + line);
            }
        }

        // THEN nothing is found
        assertEquals(List.of(), hits);
    }

    @Test
    void logs_lifecycleEvents_appearOncePerAttemptWithTheirCorrelationId() throws Exception {
        // GIVEN the structured events of the session
        List<JsonNode> events = new ArrayList<>();
        for (String line : List.copyOf(LOG_LINES)) {
            JsonNode json = ScriptedPlay.JSON.readTree(line);
            if (json.hasNonNull("event")) {
                events.add(json);
            }
        }
        // THEN every OPS-02 event the flows cause was logged
        Set<String> seen = events.stream().map(e -> e.get("event").asText()).collect(Collectors.toSet());
        for (AdmissionEvent expected : List.of(AdmissionEvent.ADMISSION_ATTEMPTED, AdmissionEvent.ADMITTED,
                AdmissionEvent.QUEUED, AdmissionEvent.PROMOTED, AdmissionEvent.ADMISSION_FAILED,
                AdmissionEvent.ADMISSION_TIMEOUT, AdmissionEvent.THROTTLED, AdmissionEvent.DISCONNECTED,
                AdmissionEvent.RECONNECTED, AdmissionEvent.RECONNECT_FAILED, AdmissionEvent.REPLACED,
                AdmissionEvent.VERSION_REJECTED, AdmissionEvent.SESSION_ACTIVATED)) {
            assertTrue(seen.contains(expected.name()), expected + " not logged; seen " + seen);
        }
        // AND each carries attemptId or sessionId as a top-level field
        for (JsonNode e : events) {
            assertTrue(e.hasNonNull("attemptId") || e.hasNonNull("sessionId"), "uncorrelated: " + e);
        }
        // AND no event is logged twice for one attempt
        Map<String, Long> perAttempt = events.stream().filter(e -> e.hasNonNull("attemptId"))
                .collect(Collectors.groupingBy(e -> e.get("attemptId").asText() + " " + e.get("event").asText(),
                        Collectors.counting()));
        perAttempt.forEach((key, count) -> assertEquals(1L, count, key));
        // AND a stack trace, when there is one, is the shortened string, not Logback's frame array
        assertTrue(LOG_LINES.stream().noneMatch(l -> l.contains("\"stepArray\"")));
    }

    private static String abbreviate(String secret) {
        return secret.length() <= 12 ? "a secret" : secret.substring(0, 6) + "…";
    }
}
