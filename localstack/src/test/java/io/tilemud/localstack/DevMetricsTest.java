package io.tilemud.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.tilemud.contract.MetricNames;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /dev/metrics} (issue 14): after a scripted play session through the local stack with standard clients,
 * the Prometheus page shows every OPS-03 meter with a value this session produced.
 */
class DevMetricsTest {
    private final LocalStack stack = RunningLocalStack.get();
    private final int http = stack.httpPort();
    private final String admin = Http.token(http, "ops-" + UUID.randomUUID(), true);
    private final String instance = "dev-metrics-" + UUID.randomUUID().toString().substring(0, 8);

    /** OPS-03 meter → the Prometheus sample whose sum shows it (Micrometer's naming: _total, _seconds_count). */
    private static final Map<String, String> SAMPLES = new LinkedHashMap<>();

    static {
        SAMPLES.put(MetricNames.ADMISSION_ATTEMPTS, "tilemud_admission_attempts_total");
        SAMPLES.put(MetricNames.ADMISSION_SUCCESSES, "tilemud_admission_successes_total");
        SAMPLES.put(MetricNames.ADMISSION_FAILURES, "tilemud_admission_failures_total");
        SAMPLES.put(MetricNames.QUEUE_DEPTH, "tilemud_queue_depth");
        SAMPLES.put(MetricNames.QUEUE_PEAK, "tilemud_queue_peak");
        SAMPLES.put(MetricNames.QUEUE_WAIT, "tilemud_queue_wait_seconds_count");
        SAMPLES.put(MetricNames.ADMISSION_TIMEOUTS, "tilemud_admission_timeouts_total");
        SAMPLES.put(MetricNames.THROTTLES, "tilemud_throttles_total");
        SAMPLES.put(MetricNames.ACTIVE_SESSIONS, "tilemud_sessions_active");
        SAMPLES.put(MetricNames.RECONNECTS, "tilemud_sessions_reconnects_total");
        SAMPLES.put(MetricNames.ACTION_LATENCY, "tilemud_realtime_action_latency_seconds_count");
        SAMPLES.put(MetricNames.FORCED_REFRESHES, "tilemud_realtime_forced_refreshes_total");
        SAMPLES.put(MetricNames.CACHE_HIT_RATIO, "tilemud_cache_hit_ratio");
    }

    @Test
    void devMetrics_afterAPlaySession_showsEveryOps03MeterWithAValue() throws Exception {
        // GIVEN the page before the session, and an instance of one slot
        Map<String, Double> before = totals(scrape());
        admin("{\"capacity\":1,\"build\":\"dev\",\"state\":\"ACCEPTING\"}");

        // WHEN a session plays: alice admitted and moving, bob queued, a client on an old build, a throttled
        // player, a reconnect with a bad token, then with the good one, alice leaving, a build change
        String alice = player("Alice");
        JsonNode admitted = connect(alice, "dev");
        String aliceSession = admitted.get("sessionId").asText();
        String aliceReconnect = admitted.get("reconnectionToken").asText();
        String bob = player("Bob");
        assertEquals("queued", connect(bob, "dev").get("outcome").asText());
        assertEquals("VERSION_MISMATCH", connect(player("Carol"), "0.9").get("reason").asText());
        String dave = Http.token(http, "e2e-" + UUID.randomUUID(), false);
        for (int i = 0; i < 6; i++) {
            attempt(dave, "{\"characterId\":\"" + UUID.randomUUID() + "\",\"clientBuild\":\"dev\"}");
        }
        TextWebSocket ws = open(alice, "sessionId=" + aliceSession);
        ws.send("{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}");
        ws.send("{\"type\":\"intent.move\",\"seq\":2,\"dx\":1,\"dy\":0}");
        String snapshot = ws.messages.poll(5, TimeUnit.SECONDS);
        String token = Http.json(snapshot).path("reconnectionToken").asText(aliceReconnect);
        String[] whileQueued = new String[1];
        awaitTrue(() -> value(whileQueued[0] = scrape(), "tilemud_queue_depth", instance) >= 1,
                "the janitor sees bob queued");
        ws.close();
        assertTrue(ws.closed.get(5, TimeUnit.SECONDS) >= 0);
        awaitTrue(() -> refused(alice, "sessionId=" + aliceSession + "&reconnectionToken=wrong"),
                "a reconnect with a wrong token is refused once the session is in grace");
        TextWebSocket back = open(alice, "sessionId=" + aliceSession + "&reconnectionToken=" + token);
        back.send("{\"type\":\"intent.leave\"}");
        TextWebSocket bobWs = openPromoted(bob);
        bobWs.send("{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}");
        admin("{\"capacity\":1,\"build\":\"2.0\",\"state\":\"ACCEPTING\"}");

        // THEN every OPS-03 meter is on the page and this session moved it
        awaitTrue(() -> totals(scrape()).getOrDefault("tilemud_realtime_forced_refreshes_total", 0.0)
                > before.getOrDefault("tilemud_realtime_forced_refreshes_total", 0.0), "bob is sent away to reload");
        HttpResponse<String> page = Http.send(Http.to(http, "/dev/metrics"));
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElseThrow().startsWith("text/plain"));
        Map<String, Double> after = totals(page.body());
        for (Map.Entry<String, String> meter : SAMPLES.entrySet()) {
            String sample = meter.getValue();
            assertTrue(after.containsKey(sample), meter.getKey() + " missing from /dev/metrics");
            if (meter.getKey().equals(MetricNames.ADMISSION_TIMEOUTS)) {
                // A local admission only times out after 10 s of a stalled dependency; the counter is on the page
                // from the start, and PlaySessionObservabilityTest drives it above zero with a 2 s deadline.
                continue;
            }
            // Gauges are current values (the queue has drained by now): judged while bob was queued, or now.
            boolean gauge = !sample.endsWith("_total") && !sample.endsWith("_count");
            double gaugeSeen = Math.max(after.get(sample), totals(whileQueued[0]).getOrDefault(sample, 0.0));
            assertTrue(gauge ? gaugeSeen > 0 : after.get(sample) > before.getOrDefault(sample, 0.0),
                    meter.getKey() + ": " + before.get(sample) + " → " + after.get(sample));
        }
    }

    @Test
    void devMetrics_otherMethod_isRefused() {
        HttpResponse<String> answer = Http.send(Http.to(http, "/dev/metrics")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(405, answer.statusCode());
        assertEquals("METHOD_NOT_ALLOWED", Http.json(answer).get("code").asText());
    }

    private String scrape() {
        return Http.send(Http.to(http, "/dev/metrics")).body();
    }

    /** Sum of every series of each sample name. */
    private static Map<String, Double> totals(String page) {
        Map<String, Double> totals = new LinkedHashMap<>();
        for (String line : page.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name = line.substring(0, brace > 0 ? brace : line.indexOf(' '));
            double value = Double.parseDouble(line.substring(space + 1));
            if (!Double.isNaN(value)) {
                totals.merge(name, value, Double::sum);
            }
        }
        return totals;
    }

    private static double value(String page, String sample, String instanceId) {
        for (String line : page.split("\n")) {
            if (line.startsWith(sample + "{") && line.contains("instance=\"" + instanceId + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private void admin(String body) {
        HttpResponse<String> r = Http.send(Http.to(http, "/admin/instances/" + instance)
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        assertEquals(200, r.statusCode(), r.body());
    }

    private final Map<String, String> characters = new java.util.concurrent.ConcurrentHashMap<>();

    private String player(String name) {
        String token = Http.token(http, "e2e-" + UUID.randomUUID(), false);
        String id = Http.json(Http.send(Http.to(http, "/characters").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")))).get("id").asText();
        Http.send(Http.to(http, "/me/active-character").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"characterId\":\"" + id + "\"}")));
        characters.put(token, id);
        return token;
    }

    private JsonNode connect(String token, String build) {
        return Http.json(attempt(token, "{\"characterId\":\"" + characters.get(token) + "\",\"clientBuild\":\""
                + build + "\"}"));
    }

    private HttpResponse<String> attempt(String token, String body) {
        return Http.send(Http.to(http, "/instances/" + instance + "/connect").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Bob was promoted when alice left: his status poll hands him the session; he connects on the old build. */
    private TextWebSocket openPromoted(String bob) throws Exception {
        JsonNode[] status = new JsonNode[1];
        awaitTrue(() -> {
            status[0] = Http.json(Http.send(Http.to(http, "/instances/" + instance + "/queue/status?characterId="
                    + characters.get(bob)).header("Authorization", "Bearer " + bob)));
            return "success".equals(status[0].path("outcome").asText());
        }, "bob promoted");
        return open(bob, "sessionId=" + status[0].get("sessionId").asText());
    }

    private TextWebSocket open(String token, String query) throws Exception {
        return TextWebSocket.open(URI.create("ws://127.0.0.1:" + stack.wsPort() + "/local?" + query + "&token=" + token));
    }

    private boolean refused(String token, String query) {
        try {
            open(token, query).close();
            return false;
        } catch (Exception e) {
            return true;
        }
    }

    /** Polls a condition the janitor (every 5 s here) or an asynchronous $disconnect makes true. */
    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(100);
        }
    }
}
