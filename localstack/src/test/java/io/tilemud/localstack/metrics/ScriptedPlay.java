package io.tilemud.localstack.metrics;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.context.ApplicationContext;
import io.tilemud.admission.AdmissionCheckpoint;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.functions.janitor.JanitorHandler;
import io.tilemud.functions.web.HttpApiFunction;
import io.tilemud.realtime.ClientMessenger;
import io.tilemud.websocket.connect.ConnectHandler;
import io.tilemud.websocket.connect.DisconnectHandler;
import io.tilemud.websocket.realtime.IntentHandler;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One scripted play session through the production handler classes — the HTTP function, the WebSocket
 * {@code $connect}/intent/{@code $disconnect} handlers and the janitor — with real API Gateway event shapes, on the
 * embedded servers. It walks every flow that records a metric or logs a lifecycle event: admission (success, queue,
 * promotion, version refusal, failures up to the rate-limit lock, a timeout), WebSocket play (moves, an invalid move,
 * chat, an action, throttling), disconnect and reconnect (good and bad token), replace, rooms (invite token), a build
 * change (forced refresh) and error answers.
 *
 * <p>What it collects for the tests: every EMF line the flushes wrote (the sink stands in for standard output) and
 * every secret it saw (access, reconnection, replace and invite tokens, an email claim), so a log scan knows exactly
 * what must never appear. Only API Gateway's {@code @connections} API is stubbed: it is outside the system.
 */
final class ScriptedPlay implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    static final String SLOW_PREFIX = "slow-";
    static final String EMAIL = "metrics.alice@example.com";

    final List<String> emfLines = Collections.synchronizedList(new ArrayList<>());
    final Set<String> secrets = ConcurrentHashMap.newKeySet();
    final ApplicationContext context;
    final String instance = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
    private final HttpApiFunction http;
    private final ConnectHandler connect;
    private final IntentHandler intents;
    private final DisconnectHandler disconnect;
    private final JanitorHandler janitor;
    private final Map<String, List<JsonNode>> frames = new ConcurrentHashMap<>();
    private volatile CountDownLatch slowGate = new CountDownLatch(0);

    ScriptedPlay() {
        Map<String, Object> properties = new HashMap<>(SharedTestInfra.get().properties());
        // Deadline short enough to reach in a test (ADM-13); a slow instance's decision waits for the gate.
        properties.put("tilemud.admission.timeout-millis", 2000);
        properties.put("tilemud.realtime.moves-per-second", 3);
        ISink capture = new ISink() {
            @Override
            public void accept(MetricsContext metrics) {
                try {
                    emfLines.addAll(metrics.serialize());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public java.util.concurrent.CompletableFuture<Void> shutdown() {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
        };
        AdmissionCheckpoint slow = (instanceId, characterId) -> {
            if (instanceId.startsWith(SLOW_PREFIX)) {
                try {
                    slowGate.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ClientMessenger messenger = new ClientMessenger() {
            @Override
            public boolean send(String connectionId, String frame) {
                try {
                    frames.computeIfAbsent(connectionId, c -> Collections.synchronizedList(new ArrayList<>()))
                            .add(JSON.readTree(frame));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return true;
            }

            @Override
            public void disconnect(String connectionId) {
                // the $disconnect that API Gateway would send is driven by the script itself
            }
        };
        context = ApplicationContext.builder().properties(properties).singletons(capture, slow, messenger).start();
        http = new HttpApiFunction(context);
        connect = new ConnectHandler(context);
        intents = new IntentHandler(context);
        disconnect = new DisconnectHandler(context);
        janitor = new JanitorHandler(context);
    }

    /** The whole session; every step asserts the answer it needs, so a broken flow fails here, not later. */
    void run() {
        String admin = token("ops-" + UUID.randomUUID(), true);
        String slowInstance = SLOW_PREFIX + UUID.randomUUID().toString().substring(0, 8);
        ok(send("PUT", "/admin/instances/" + instance, admin, "{\"capacity\":1,\"build\":\"dev\",\"state\":\"ACCEPTING\"}"));
        ok(send("PUT", "/admin/instances/" + slowInstance, admin, "{\"capacity\":5,\"build\":\"dev\",\"state\":\"ACCEPTING\"}"));

        // A first attempt warms the container (scripts loaded, pools filled) so the deadline below measures the gate.
        connect(player("warm"), slowInstance.replace(SLOW_PREFIX, "warm-"), null);

        // Admission: alice gets the one slot, bob queues, carol runs an old build.
        Player alice = player("alice");
        JsonNode admitted = connect(alice, instance, null);
        assertEquals("success", admitted.get("outcome").asText(), admitted.toString());
        alice.session = admitted.get("sessionId").asText();
        alice.reconnection = remember(admitted.get("reconnectionToken").asText());
        Player bob = player("bob");
        assertEquals("queued", connect(bob, instance, null).get("outcome").asText());
        sweep(); // the janitor samples queue depth and active sessions while bob waits
        Player carol = player("carol");
        JsonNode old = json(send("POST", "/instances/" + instance + "/connect", carol.token,
                "{\"characterId\":\"" + carol.character + "\",\"clientBuild\":\"0.9\"}"));
        assertEquals("VERSION_MISMATCH", old.get("reason").asText());

        // Failures up to the rate-limit lock (ADM-12): five refusals, then THROTTLED.
        Player dave = player("dave");
        for (int i = 0; i < 5; i++) {
            JsonNode refused = json(send("POST", "/instances/" + instance + "/connect", dave.token,
                    "{\"characterId\":\"" + UUID.randomUUID() + "\",\"clientBuild\":\"dev\"}"));
            assertEquals("NO_ACTIVE_CHARACTER", refused.get("reason").asText());
        }
        assertEquals(429, send("POST", "/instances/" + instance + "/connect", dave.token,
                "{\"characterId\":\"" + dave.character + "\",\"clientBuild\":\"dev\"}").getStatusCode());

        // A decision that lands after the deadline (ADM-13); released afterwards, so it is rolled back.
        Player erin = player("erin");
        slowGate = new CountDownLatch(1);
        JsonNode late = connect(erin, slowInstance, null);
        slowGate.countDown();
        assertEquals("TIMEOUT", late.get("reason").asText(), late.toString());

        // Error answers: a bad token, malformed JSON.
        assertEquals(401, send("GET", "/characters", "not-a-token", null).getStatusCode());
        assertEquals(400, send("POST", "/characters", alice.token, "{\"name\":").getStatusCode());

        // WebSocket play.
        String c1 = "c1-" + UUID.randomUUID();
        assertEquals(200, wsConnect(c1, alice, Map.of("sessionId", alice.session)));
        intent(c1, "intent.move", "{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}");
        intent(c1, "intent.move", "{\"type\":\"intent.move\",\"seq\":2,\"dx\":0,\"dy\":-1}"); // off the map
        intent(c1, "intent.chat", "{\"type\":\"intent.chat\",\"seq\":2,\"text\":\"hello\"}");
        intent(c1, "intent.action", "{\"type\":\"intent.action\",\"seq\":3,\"kind\":\"wave\",\"args\":{}}");
        for (int seq = 4; seq < 9; seq++) { // 3 moves per second: the rest are throttled
            intent(c1, "intent.move", "{\"type\":\"intent.move\",\"seq\":" + seq + ",\"dx\":1,\"dy\":0}");
        }
        assertEquals(true, sent(c1).stream().anyMatch(f -> "RATE_LIMITED".equals(f.path("code").asText())),
                "throttled: " + sent(c1));
        String resumeToken = remember(sent(c1).getFirst().path("reconnectionToken").asText());

        // Disconnect, a reconnect with a wrong token (refused), then with the right one.
        disconnect.handleRequest(wsEvent("apigw-ws-message-event.json", c1, "$disconnect", null), lambda());
        String c2 = "c2-" + UUID.randomUUID();
        assertEquals(403, wsConnect(c2, alice, Map.of("sessionId", alice.session, "reconnectionToken", "wrong-token")));
        String c3 = "c3-" + UUID.randomUUID();
        assertEquals(200, wsConnect(c3, alice, Map.of("sessionId", alice.session, "reconnectionToken",
                resumeToken.isEmpty() ? alice.reconnection : resumeToken)));
        intent(c3, "resume", "{\"type\":\"resume\",\"lastSeq\":1}");
        sent(c3).forEach(f -> remember(f.path("reconnectionToken").asText()));

        // Replace: alice in a second tab takes her session over with the replace token she is offered.
        JsonNode offer = connect(alice, instance, null);
        assertEquals("ALREADY_IN_SESSION", offer.get("reason").asText(), offer.toString());
        String replaceToken = remember(offer.get("replaceToken").asText());
        JsonNode replaced = json(send("POST", "/instances/" + instance + "/connect?replaceToken=" + replaceToken,
                alice.token, "{\"characterId\":\"" + alice.character + "\",\"clientBuild\":\"dev\"}"));
        assertEquals("success", replaced.get("outcome").asText(), replaced.toString());
        alice.session = replaced.get("sessionId").asText();
        remember(replaced.get("reconnectionToken").asText());
        String c4 = "c4-" + UUID.randomUUID();
        assertEquals(200, wsConnect(c4, alice, Map.of("sessionId", alice.session)));

        // Rooms: an invite token changes hands.
        JsonNode room = json(send("POST", "/rooms", alice.token, "{}"));
        String invite = remember(room.get("inviteToken").asText());
        JsonNode joined = json(send("POST", "/rooms/join", carol.token, "{\"inviteToken\":\"" + invite + "\"}"));
        assertEquals(room.get("roomId").asText(), joined.path("roomId").asText(joined.toString()), joined.toString());
        intent(c4, "room.chat", "{\"type\":\"room.chat\",\"text\":\"hi room\"}");

        // Alice leaves: the janitor promotes bob (queue wait), sweeps gauges; bob connects and is on the old build
        // when the instance changes build (forced refresh).
        intent(c4, "intent.leave", "{\"type\":\"intent.leave\"}");
        sweep();
        JsonNode promoted = json(send("GET", "/instances/" + instance + "/queue/status?characterId=" + bob.character,
                bob.token, null));
        assertEquals("success", promoted.get("outcome").asText(), promoted.toString());
        bob.session = promoted.get("sessionId").asText();
        remember(promoted.get("reconnectionToken").asText());
        String c5 = "c5-" + UUID.randomUUID();
        assertEquals(200, wsConnect(c5, bob, Map.of("sessionId", bob.session)));
        intent(c5, "intent.move", "{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}");
        sweep();
        ok(send("PUT", "/admin/instances/" + instance, admin, "{\"capacity\":1,\"build\":\"2.0\",\"state\":\"ACCEPTING\"}"));
        sweep();
        assertEquals(true, sent(c5).stream().anyMatch(f -> "event.version_mismatch".equals(f.path("type").asText())),
                "forced refresh: " + sent(c5));
    }

    /** Every EMF document written so far, parsed. */
    List<JsonNode> emf() {
        List<JsonNode> out = new ArrayList<>();
        synchronized (emfLines) {
            for (String line : emfLines) {
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    private void sweep() {
        ScheduledEvent event = new ScheduledEvent();
        event.setId(UUID.randomUUID().toString());
        event.setSource("aws.events");
        event.setDetailType("Scheduled Event");
        event.setTime(new org.joda.time.DateTime());
        event.setDetail(Map.of());
        janitor.handleRequest(event, lambda());
    }

    private static final class Player {
        final String token;
        final String character;
        String session;
        String reconnection;
        final String subject;

        Player(String subject, String token, String character) {
            this.subject = subject;
            this.token = token;
            this.character = character;
        }
    }

    private Player player(String name) {
        String subject = name + "-" + UUID.randomUUID();
        String token = token(subject, false);
        JsonNode created = json(send("POST", "/characters", token, "{\"name\":\"" + capitalize(name) + "\"}"));
        String character = created.get("id").asText();
        assertEquals(204, send("PUT", "/me/active-character", token, "{\"characterId\":\"" + character + "\"}")
                .getStatusCode());
        return new Player(subject, token, character);
    }

    private JsonNode connect(Player player, String instanceId, String reconnectionToken) {
        String body = "{\"characterId\":\"" + player.character + "\",\"clientBuild\":\"dev\""
                + (reconnectionToken == null ? "" : ",\"reconnectionToken\":\"" + reconnectionToken + "\"") + "}";
        return json(send("POST", "/instances/" + instanceId + "/connect", player.token, body));
    }

    /** A token carrying an email claim, as Cognito's do: neither may reach a log line. */
    private String token(String subject, boolean admin) {
        var identity = SharedTestInfra.get().identity();
        JWTClaimsSet claims = identity.claims(subject, admin, Instant.now(), Duration.ofHours(1))
                .claim("email", EMAIL).build();
        return remember(identity.sign(claims));
    }

    private String remember(String secret) {
        if (secret != null && !secret.isEmpty()) {
            secrets.add(secret);
        }
        return secret;
    }

    private int wsConnect(String connectionId, Player player, Map<String, String> query) {
        APIGatewayV2WebSocketEvent event = wsEvent("apigw-ws-connect-event.json", connectionId, "$connect", null);
        Map<String, Object> authorizer = new HashMap<>(event.getRequestContext().getAuthorizer());
        authorizer.put("principalId", player.subject);
        event.getRequestContext().setAuthorizer(authorizer);
        event.setQueryStringParameters(new LinkedHashMap<>(query));
        return connect.handleRequest(event, lambda()).getStatusCode();
    }

    private void intent(String connectionId, String route, String body) {
        intents.handleRequest(wsEvent("apigw-ws-message-event.json", connectionId, route, body), lambda());
    }

    private List<JsonNode> sent(String connectionId) {
        return List.copyOf(frames.getOrDefault(connectionId, List.of()));
    }

    private static APIGatewayV2WebSocketEvent wsEvent(String fixture, String connectionId, String route, String body) {
        APIGatewayV2WebSocketEvent event = load(fixture, APIGatewayV2WebSocketEvent.class);
        event.getRequestContext().setConnectionId(connectionId);
        event.getRequestContext().setRouteKey(route);
        if ("$disconnect".equals(route)) {
            event.getRequestContext().setEventType("DISCONNECT");
        }
        event.setBody(body);
        return event;
    }

    private APIGatewayV2HTTPResponse send(String method, String pathAndQuery, String token, String body) {
        APIGatewayV2HTTPEvent event = load("apigw-v2-http-event.json", APIGatewayV2HTTPEvent.class);
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        event.setRawPath(path);
        event.setRawQueryString(query);
        if (!query.isEmpty()) {
            Map<String, String> params = new LinkedHashMap<>();
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
            event.setQueryStringParameters(params);
        }
        Map<String, String> headers = new LinkedHashMap<>(event.getHeaders());
        headers.put("authorization", "Bearer " + token);
        if (body != null) {
            event.setBody(body);
            headers.put("content-type", "application/json");
            headers.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        }
        event.setHeaders(headers);
        event.getRequestContext().getHttp().setMethod(method);
        event.getRequestContext().getHttp().setPath(path);
        event.getRequestContext().setRequestId(UUID.randomUUID().toString());
        return http.handleRequest(event, lambda());
    }

    private static LocalLambdaContext lambda() {
        return new LocalLambdaContext();
    }

    private static void ok(APIGatewayV2HTTPResponse response) {
        assertEquals(200, response.getStatusCode(), response.getBody());
    }

    private static JsonNode json(APIGatewayV2HTTPResponse response) {
        try {
            String body = response.getBody();
            if (Boolean.TRUE.equals(response.getIsBase64Encoded())) {
                body = new String(java.util.Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T load(String fixture, Class<T> type) {
        try (InputStream in = ScriptedPlay.class.getResourceAsStream("/fixtures/" + fixture)) {
            return JSON.readValue(in, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String capitalize(String name) {
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    @Override
    public void close() {
        context.close();
    }
}
