package io.tilemud.webclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tilemud.embedded.Ports;
import io.tilemud.localstack.LocalStack;
import io.tilemud.localstack.LocalStackOptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A local stack started in-process for one test class, and where its web client is. The stack serves the client
 * at /play/ (with a generated config.json); against a stack that does not yet, a small same-origin server here
 * serves web-client/public and forwards API calls, so the tests run either way.
 */
final class Stack implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final LocalStack stack;
    final String api;
    final String playUrl;
    private final HttpServer fallback;

    private Stack(LocalStack stack, String playUrl, HttpServer fallback) {
        this.stack = stack;
        this.api = "http://127.0.0.1:" + stack.httpPort();
        this.playUrl = playUrl;
        this.fallback = fallback;
    }

    static Stack start(Optional<String> redisUrl) {
        LocalStack stack = LocalStack.start(new LocalStackOptions(Ports.free(), Ports.free(), Optional.empty(),
                redisUrl, Optional.empty(), Optional.empty(), 2));
        String api = "http://127.0.0.1:" + stack.httpPort();
        try {
            HttpResponse<String> play = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/play/config.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (play.statusCode() == 200) {
                return new Stack(stack, api + "/play/", null);
            }
            return fallback(stack);
        } catch (IOException e) {
            stack.close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stack.close();
            throw new IllegalStateException(e);
        }
    }

    private static Stack fallback(LocalStack stack) throws IOException {
        Path root = Path.of(System.getProperty("tilemud.webclient.dir", "public")).toAbsolutePath();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = server.getAddress().getPort();
        String config = JSON.writeValueAsString(Map.of("apiBase", "http://127.0.0.1:" + port + "/api",
                "wsUrl", "ws://127.0.0.1:" + stack.wsPort() + "/local", "build", "dev", "wsTokenInQuery", true,
                "identity", Map.of("mode", "dev", "tokenUrl", "http://127.0.0.1:" + port + "/api/dev/token")));
        String api = "http://127.0.0.1:" + stack.httpPort();
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getRawPath();
                if (path.startsWith("/api/")) {
                    forward(exchange, api + exchange.getRequestURI().toString().substring(4));
                } else if (path.equals("/play/config.json")) {
                    respond(exchange, 200, "application/json", config.getBytes(StandardCharsets.UTF_8));
                } else if (path.startsWith("/play/")) {
                    Path file = root.resolve(path.substring("/play/".length()).replaceFirst("^$", "index.html")).normalize();
                    if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                        respond(exchange, 404, "text/plain", new byte[0]);
                    } else {
                        String name = file.getFileName().toString();
                        String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript"
                                : name.endsWith(".css") ? "text/css" : "application/octet-stream";
                        respond(exchange, 200, type, Files.readAllBytes(file));
                    }
                } else {
                    respond(exchange, 404, "text/plain", new byte[0]);
                }
            }
        });
        server.start();
        System.out.println("web client served by the test's fallback server (the stack has no /play/ yet)");
        return new Stack(stack, "http://127.0.0.1:" + port + "/play/", server);
    }

    private static void forward(HttpExchange exchange, String url) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : new String[] {"authorization", "content-type"}) {
            String v = exchange.getRequestHeaders().getFirst(h);
            if (v != null) {
                request.header(h, v);
            }
        }
        try {
            HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue("retry-after").ifPresent(v -> exchange.getResponseHeaders().add("Retry-After", v));
            respond(exchange, response.statusCode(), response.headers().firstValue("content-type").orElse("application/json"),
                    response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 502, "text/plain", new byte[0]);
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    // ---- API helpers for test setup -----------------------------------------------------------------------

    String token(String sub, boolean admin) {
        return call("POST", "/dev/token", null, "{\"sub\":\"" + sub + "\",\"admin\":" + admin + "}").path("accessToken").asText();
    }

    /** Creates or updates an instance through the admin API. */
    void instance(String id, int capacity, String build, String state) {
        call("PUT", "/admin/instances/" + id, token("ops", true),
                "{\"capacity\":" + capacity + ",\"build\":\"" + build + "\",\"state\":\"" + state + "\"}");
    }

    JsonNode call(String method, String path, String token, String body) {
        return parse(raw(method, api + path, token, body).body());
    }

    private static JsonNode parse(String body) {
        try {
            return body.isEmpty() ? JSON.nullNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static HttpResponse<String> raw(String method, String url, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server drops a socket as API Gateway's management API does. */
    int dropConnection(String connectionId) {
        return raw("DELETE", "http://127.0.0.1:" + stack.wsPort() + "/local/@connections/" + connectionId, null, null).statusCode();
    }

    @Override
    public void close() {
        if (fallback != null) {
            fallback.stop(0);
        }
        stack.close();
    }
}
