package io.tilemud.realtime;

import io.micronaut.context.annotation.Requires;
import io.netty.handler.codec.http.HttpMethod;
import io.tilemud.connection.DynamoDbSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link ClientMessenger} through API Gateway's management API ({@code POST/DELETE /@connections/{id}}, SigV4 for
 * {@code execute-api}), the same against AWS and the local stack.
 *
 * <p>Not the SDK's {@code ApiGatewayManagementApiClient}: its synchronous pipeline (interceptors, marshalling, identity
 * resolution, {@code HttpURLConnection}) was a third of a move's CPU, and each post held a thread for its whole round
 * trip. Nor the JDK's {@code HttpClient}: under the rooms load its selector hand-offs were a third of the stack's CPU.
 * Nor the SDK's Netty client used directly: its per-request adapters were ~20 % of the stack's CPU at 500 moves/s.
 * Here a post is one SigV4 signature ({@link SigV4}, the day's key derived once) and one exchange on
 * {@link ManagementHttp} (Netty, pooled keep-alive connections, one event loop thread), so a fan-out's posts are in
 * flight at once and cost no thread while they wait. The answers are the service's: 2xx delivered, 410
 * {@code GoneException} gone; anything else is an error for the caller to log. Thread safe.
 */
@Singleton
@Requires(property = "tilemud.realtime.management-endpoint", pattern = ".+")
public class ApiGatewayClientMessenger implements ClientMessenger {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** Posts in flight at once (one pooled connection each, HTTP/1.1); the rest wait for a connection. */
    private static final int MAX_CONNECTIONS = 256;
    private static final int MAX_ERROR_BODY = 1024;

    private final String host;
    private final String basePath;
    private final AwsCredentialsProvider credentials;
    private final SigV4 signer;
    private final Clock clock;
    private final ManagementHttp http;

    public ApiGatewayClientMessenger(RealtimeSettings settings, DynamoDbSettings aws, Clock clock) {
        URI endpoint = URI.create(settings.managementEndpoint().replaceAll("/+$", ""));
        boolean https = "https".equalsIgnoreCase(endpoint.getScheme());
        this.host = SigV4.hostHeader(endpoint);
        this.basePath = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
        this.signer = new SigV4(aws.region(), "execute-api");
        this.clock = clock;
        // The local stack's static credentials are the same emulator credentials DynamoDB Local gets.
        this.credentials = aws.hasStaticCredentials()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()))
                : DefaultCredentialsProvider.builder().build();
        this.http = new ManagementHttp(endpoint.getHost(), SigV4.port(endpoint), https ? ManagementHttp.tls() : null, new ManagementHttp.Limits(
                MAX_CONNECTIONS, Duration.ofSeconds(1), REQUEST_TIMEOUT, Duration.ofSeconds(50), MAX_ERROR_BODY));
    }

    @Override
    public boolean send(String connectionId, String frame) {
        try {
            return sendAsync(connectionId, frame).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public CompletableFuture<Boolean> sendAsync(String connectionId, String frame) {
        byte[] data = bounded(frame);
        return post(connectionId, data, signer.payloadHash(data));
    }

    /**
     * One encoding and one payload hash for all recipients: a delta goes out unchanged to everyone in view. Each post
     * is signed on its own (the path is signed), and all of them go to the client in one call, so they reach its
     * event loop together.
     */
    @Override
    public List<CompletableFuture<Boolean>> sendAllAsync(List<String> connectionIds, String frame) {
        List<CompletableFuture<Boolean>> posts = new ArrayList<>(connectionIds.size());
        byte[] data;
        String hash;
        try {
            data = bounded(frame);
            hash = signer.payloadHash(data);
        } catch (RuntimeException e) {
            connectionIds.forEach(id -> posts.add(CompletableFuture.failedFuture(e)));
            return posts;
        }
        List<ManagementHttp.Request> requests = new ArrayList<>(connectionIds.size());
        // Where each request's recipient is in connectionIds: a post whose request could not be made (its signature
        // failed) fails alone, in its place.
        List<Integer> places = new ArrayList<>(connectionIds.size());
        for (int i = 0; i < connectionIds.size(); i++) {
            try {
                requests.add(request(HttpMethod.POST, connectionIds.get(i), data, hash));
                places.add(i);
                posts.add(null);
            } catch (RuntimeException e) {
                posts.add(CompletableFuture.failedFuture(e));
            }
        }
        List<CompletableFuture<ManagementHttp.Response>> answers = http.sendAll(requests);
        for (int k = 0; k < answers.size(); k++) {
            String id = connectionIds.get(places.get(k));
            posts.set(places.get(k), answers.get(k).thenApply(answer -> delivered(id, answer)));
        }
        return posts;
    }

    private static byte[] bounded(String frame) {
        byte[] data = frame.getBytes(StandardCharsets.UTF_8);
        if (data.length > Frames.MAX_FRAME_BYTES) {
            // API Gateway would refuse it (PayloadTooLargeException); every frame producer bounds its size, so this
            // is a bug to surface, not a reason to drop the connection.
            throw new IllegalArgumentException("frame of " + data.length + " bytes exceeds " + Frames.MAX_FRAME_BYTES);
        }
        return data;
    }

    private CompletableFuture<Boolean> post(String connectionId, byte[] data, String payloadHash) {
        return http.send(request(HttpMethod.POST, connectionId, data, payloadHash))
                .thenApply(answer -> delivered(connectionId, answer));
    }

    /** A post's answer: true delivered (2xx), false gone (410); anything else fails it. */
    private static boolean delivered(String connectionId, ManagementHttp.Response answer) {
        return status(HttpMethod.POST, connectionId, answer) / 100 == 2;
    }

    @Override
    public void disconnect(String connectionId) {
        try {
            // 204 closed, 410 already gone: either way nothing is left to close.
            call(HttpMethod.DELETE, connectionId, null, signer.payloadHash(null)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** @return the status, for 2xx and 410; any other answer fails the future */
    private CompletableFuture<Integer> call(HttpMethod method, String connectionId, byte[] body, String payloadHash) {
        return http.send(request(method, connectionId, body, payloadHash))
                .thenApply(answer -> status(method, connectionId, answer));
    }

    private ManagementHttp.Request request(HttpMethod method, String connectionId, byte[] body, String payloadHash) {
        String path = basePath + "/@connections/" + URLEncoder.encode(connectionId, StandardCharsets.UTF_8);
        byte[] payload = body == null ? new byte[0] : body;
        Map<String, String> signed = body == null ? Map.of() : Map.of("content-type", "application/json");
        AwsCredentialsIdentity identity = credentials.resolveCredentials();
        // The signature's own headers, in a map made for this request: the rest join it rather than all being copied
        // into another map per post (1 % of the stack JVM's samples at 500 moves/s). host is signed, so it is sent
        // exactly as signed.
        Map<String, String> headers = signer.sign(method.name(), host, path, null, signed, payloadHash, identity, clock.instant());
        headers.put("host", host);
        headers.putAll(signed);
        return new ManagementHttp.Request(method, path, headers, payload);
    }

    /** The status, for 2xx and 410; any other answer is the caller's error. */
    private static int status(HttpMethod method, String connectionId, ManagementHttp.Response answer) {
        int code = answer.status();
        if (code / 100 == 2 || code == 410) {
            return code;
        }
        throw new ManagementApiException(method + " @connections/" + connectionId + " answered " + code + " "
                + answer.errorType() + " " + answer.body());
    }

    /** The management API refused a call for another reason than a gone connection (throttling, auth, size). */
    public static final class ManagementApiException extends RuntimeException {
        ManagementApiException(String message) {
            super(message);
        }
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
