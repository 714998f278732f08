package io.tilemud.webclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tilemud.embedded.Ports;
import io.tilemud.localstack.LocalStack;
import io.tilemud.localstack.LocalStackOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/** A local stack started in-process for one test class; it serves the web client at /play/ with its config.json. */
final class Stack implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final LocalStack stack;
    final String api;
    final String playUrl;
    private Stack(LocalStack stack, String playUrl) {
        this.stack = stack;
        this.api = "http://127.0.0.1:" + stack.httpPort();
        this.playUrl = playUrl;
    }

    static Stack start(Optional<String> redisUrl) {
        LocalStack stack = LocalStack.start(new LocalStackOptions(Ports.free(), Ports.free(), Optional.empty(),
                redisUrl, Optional.empty(), Optional.empty(), 2));
        String api = "http://127.0.0.1:" + stack.httpPort();
        try {
            HttpResponse<String> play = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/play/config.json")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (play.statusCode() != 200) {
                throw new IllegalStateException("the local stack does not serve the web client: GET /play/config.json -> "
                        + play.statusCode());
            }
            return new Stack(stack, api + "/play/");
        } catch (IOException e) {
            stack.close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stack.close();
            throw new IllegalStateException(e);
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

    /** Impassable tiles, straight into PostgreSQL (there is no API for the world's layout). */
    void walls(String instanceId, int[][] tiles) {
        var ctx = stack.context();
        try (var c = java.sql.DriverManager.getConnection(ctx.getRequiredProperty("datasources.default.url", String.class),
                ctx.getProperty("datasources.default.username", String.class).orElse(null),
                ctx.getProperty("datasources.default.password", String.class).orElse(null));
             var insert = c.prepareStatement("INSERT INTO world_walls (instance_id, x, y) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (int[] t : tiles) {
                insert.setString(1, instanceId);
                insert.setInt(2, t[0]);
                insert.setInt(3, t[1]);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stack.close();
    }
}
