package io.tilemud.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a browser needs from the local stack, tried the way Chromium does it: CORS preflights answered before the
 * authorizer (as the HTTP API's corsPreflight does in AWS), the web client's files and generated config under /play/,
 * the access token offered as a WebSocket subprotocol, and an answer to every malformed request.
 */
class BrowserPathTest {
    private static final String ORIGIN = "http://localhost:8080";
    private final LocalStack stack = RunningLocalStack.get();
    private final int http = stack.httpPort();

    // ---- CORS ----

    @Test
    void preflight_anyRouteWithoutToken_answeredBeforeTheAuthorizer() {
        HttpResponse<String> preflight = Http.send(Http.to(http, "/instances/world-1/connect")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type"));

        assertEquals(204, preflight.statusCode(), preflight.body());
        assertEquals("*", preflight.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertTrue(preflight.headers().firstValue("access-control-allow-methods").orElseThrow().contains("POST"));
        assertTrue(preflight.headers().firstValue("access-control-allow-headers").orElseThrow().contains("authorization"));
        assertEquals("600", preflight.headers().firstValue("access-control-max-age").orElseThrow());
    }

    @Test
    void crossOriginCall_answerCarriesAllowOriginAndExposesRetryAfter() {
        String token = Http.token(http, "cors-" + java.util.UUID.randomUUID(), false);
        HttpResponse<String> characters = Http.send(Http.to(http, "/characters")
                .header("Origin", ORIGIN).header("Authorization", "Bearer " + token));
        HttpResponse<String> unauthorized = Http.send(Http.to(http, "/characters").header("Origin", ORIGIN));

        assertEquals(200, characters.statusCode());
        assertEquals("*", characters.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertEquals("retry-after", characters.headers().firstValue("access-control-expose-headers").orElseThrow());
        // the authorizer's own 401 too, or a browser could not even read why it failed
        assertEquals(401, unauthorized.statusCode());
        assertEquals("*", unauthorized.headers().firstValue("access-control-allow-origin").orElseThrow());
    }

    // ---- the web client's files ----

    @Test
    void root_redirectsToTheClient() {
        HttpResponse<String> root = Http.send(Http.to(http, "/"));
        assertEquals(302, root.statusCode());
        assertEquals("/play/", root.headers().firstValue("location").orElseThrow());
    }

    @Test
    void config_generatedForThisStack_publicAndNotCached() {
        HttpResponse<String> config = Http.send(Http.to(http, "/play/config.json"));

        assertEquals(200, config.statusCode(), config.body());
        assertEquals("application/json", config.headers().firstValue("content-type").orElseThrow());
        assertEquals("no-cache", config.headers().firstValue("cache-control").orElseThrow());
        JsonNode json = Http.json(config);
        assertEquals("http://127.0.0.1:" + http, json.get("apiBase").asText());
        assertEquals("ws://127.0.0.1:" + stack.wsPort() + "/local", json.get("wsUrl").asText());
        assertEquals("dev", json.get("build").asText());
        assertEquals("dev", json.get("identity").get("mode").asText());
        assertEquals("http://127.0.0.1:" + http + "/dev/token", json.get("identity").get("tokenUrl").asText());
        // AND an unchanged file costs a 304
        HttpResponse<String> again = Http.send(Http.to(http, "/play/config.json")
                .header("If-None-Match", config.headers().firstValue("etag").orElseThrow()));
        assertEquals(304, again.statusCode());
    }

    @Test
    void files_missingOrOutsideTheClient_404Or400NeverAnotherFile() throws IOException {
        assertEquals(404, Http.send(Http.to(http, "/play/no-such-file.js")).statusCode());
        assertEquals(404, Http.send(Http.to(http, "/play/logback.xml")).statusCode(), "only the client's own types");
        // dot segments, raw and percent-encoded (a browser normalizes the raw form; a crafted client need not)
        for (String path : new String[]{"/play/../logback.xml", "/play/%2e%2e/logback.xml", "/play/..%2flogback.xml",
                "/play/a/%2e%2e/%2e%2e/io/tilemud/localstack/LocalStack.class"}) {
            Raw answer = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(answer.status() == 400 || answer.status() == 404, path + " → " + answer.status());
            assertFalse(answer.body().contains("<configuration>"), path);
        }
    }

    // ---- malformed requests always get an answer ----

    @Test
    void badPercentEncoding_inPathOrQuery_400InTheErrorContractWithoutHanging() throws IOException {
        for (String target : new String[]{"/instances/%zz/connect", "/characters?x=%zz", "/%"}) {
            Raw answer = raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            assertEquals(400, answer.status(), target + " " + answer.body());
            JsonNode body = Http.json(answer.body());
            assertEquals("BAD_REQUEST", body.get("code").asText(), target);
            assertFalse(body.get("transient").asBoolean());
            assertFalse(body.get("message").asText().isBlank());
        }
    }

    @Test
    void bodyOverTheLimit_413InTheErrorContract() throws IOException {
        Raw answer = raw("POST /characters HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 20000000\r\n\r\n{");

        assertEquals(413, answer.status());
        assertEquals("PAYLOAD_TOO_LARGE", Http.json(answer.body()).get("code").asText());
    }

    // ---- the WebSocket the way a browser opens it ----

    @Test
    void webSocket_tokenAsSubprotocolBesideTilemudV1_echoesTilemudV1AndPlays() throws Exception {
        Players.Player alice = Players.admitted(http, "Subprotocol Alice");
        try (RawWebSocket ws = RawWebSocket.open(stack.wsPort(), "/local?sessionId=" + alice.sessionId(),
                Map.of("Sec-WebSocket-Protocol", "tilemud.v1, " + alice.token()))) {
            assertEquals(101, ws.status);
            assertEquals("tilemud.v1", ws.headers.get("sec-websocket-protocol"), "the token is never echoed");

            ws.sendText("{\"type\":\"resume\",\"lastSeq\":0}");
            JsonNode snapshot = Http.json(ws.read().text());
            assertEquals("event.snapshot", snapshot.get("type").asText());
            assertFalse(snapshot.get("connectionId").asText().isBlank());
        }
    }

    @Test
    void webSocket_onlyTheTokenOffered_refusedBeforeTheSessionIsTouched() throws Exception {
        Players.Player bob = Players.admitted(http, "Subprotocol Bob");
        // WHEN a client offers the token alone (nothing the server could echo: a browser would fail the handshake)
        try (RawWebSocket refused = RawWebSocket.open(stack.wsPort(), "/local?sessionId=" + bob.sessionId(),
                Map.of("Sec-WebSocket-Protocol", bob.token()))) {
            assertEquals(400, refused.status);
        }
        // THEN the session was not put in grace: a plain connect (no reconnection token) still binds it
        try (RawWebSocket ws = RawWebSocket.open(stack.wsPort(), "/local?sessionId=" + bob.sessionId(),
                Map.of("Sec-WebSocket-Protocol", "tilemud.v1, " + bob.token()))) {
            assertEquals(101, ws.status);
        }
    }

    private record Raw(int status, String body) {
    }

    /** One raw HTTP exchange: for requests the JDK client refuses to build (bad escapes, dot segments). */
    private Raw raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", http)) {
            socket.setSoTimeout(10_000); // a hang fails the test instead of blocking it
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            String text = "";
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                bytes.write(buffer, 0, n);
                text = bytes.toString(StandardCharsets.UTF_8);
                int head = text.indexOf("\r\n\r\n");
                if (head > 0) {
                    var length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text.substring(0, head));
                    if (length.find() && text.length() - head - 4 >= Integer.parseInt(length.group(1))) {
                        break;
                    }
                }
            }
            int status = Integer.parseInt(text.split(" ", 3)[1]);
            int head = text.indexOf("\r\n\r\n");
            return new Raw(status, head < 0 ? "" : text.substring(head + 4));
        }
    }
}
