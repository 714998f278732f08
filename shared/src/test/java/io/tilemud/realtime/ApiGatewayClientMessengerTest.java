package io.tilemud.realtime;

import com.sun.net.httpserver.HttpServer;
import io.tilemud.connection.DynamoDbSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ApiGatewayClientMessenger#sendAllAsync} against the JDK's HTTP server playing the management API: one frame
 * encoded and hashed once still reaches every recipient with its own signature, exactly the SDK signer's.
 */
class ApiGatewayClientMessengerTest {
    private static final Instant NOW = Instant.parse("2026-12-03T10:11:12Z");
    private static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDLOCAL", "local-secret");

    /** One request as the server saw it. */
    private record Seen(String method, String path, String authorization, String contentSha, String body) {
    }

    private final ExecutorService workers = Executors.newCachedThreadPool();
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private HttpServer server;
    private ApiGatewayClientMessenger messenger;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            seen.put(path, new Seen(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("authorization"),
                    exchange.getRequestHeaders().getFirst("x-amz-content-sha256"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            if (path.endsWith("/gone")) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "GoneException");
                exchange.sendResponseHeaders(410, -1);
            } else {
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        server.setExecutor(workers);
        server.start();
        RealtimeSettings settings = new RealtimeSettings("http://127.0.0.1:" + server.getAddress().getPort() + "/local",
                8, 3600, 20, 5, 5, 600, 30, 200, 5, 150);
        DynamoDbSettings aws = new DynamoDbSettings(null, "us-east-1", "connections", false, "AKIDLOCAL", "local-secret");
        messenger = new ApiGatewayClientMessenger(settings, aws, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        messenger.close();
        server.stop(0);
        workers.shutdownNow();
    }

    @Test
    void sendAllAsync_threeRecipientsOneGone_eachAnsweredAndSignedAsTheSdkWould() throws Exception {
        String frame = "{\"type\":\"event.delta\",\"x\":3,\"y\":4}";

        List<CompletableFuture<Boolean>> posts = messenger.sendAllAsync(List.of("a=", "gone", "c+d"), frame);

        // THEN the answers come back in the recipients' order: delivered, gone, delivered
        assertEquals(List.of(true, false, true), posts.stream().map(p -> p.orTimeout(5, TimeUnit.SECONDS).join()).toList());
        // AND every recipient got the whole frame under its own path, with the signature the SDK computes for it
        for (String path : List.of("/local/@connections/a%3D", "/local/@connections/gone", "/local/@connections/c%2Bd")) {
            Seen request = seen.get(path);
            assertEquals("POST", request.method(), path);
            assertEquals(frame, request.body(), path);
            assertEquals(sdkAuthorization(path, frame), request.authorization(), path);
        }
        assertEquals(1, seen.values().stream().map(Seen::contentSha).distinct().count(), "one payload, one hash");
    }

    @Test
    void sendAllAsync_frameOverTheLimit_everyPostFailsAndNothingIsSent() {
        String frame = "x".repeat(Frames.MAX_FRAME_BYTES + 1);

        List<CompletableFuture<Boolean>> posts = messenger.sendAllAsync(List.of("a", "b"), frame);

        assertEquals(2, posts.size());
        for (CompletableFuture<Boolean> post : posts) {
            ExecutionException failed = assertThrows(ExecutionException.class, () -> post.get(5, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, failed.getCause());
            assertTrue(failed.getCause().getMessage().contains("exceeds " + Frames.MAX_FRAME_BYTES));
        }
        assertTrue(seen.isEmpty(), "no request reached the server: " + seen.keySet());
    }

    private String sdkAuthorization(String path, String frame) {
        byte[] body = frame.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .putHeader("content-type", "application/json").build();
        return AwsV4HttpSigner.create().sign(r -> r.identity(CREDENTIALS).request(request)
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)))
                .request().firstMatchingHeader("Authorization").orElseThrow();
    }
}
