package io.tilemud.realtime;

import io.micronaut.context.annotation.Requires;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link ClientMessenger} through API Gateway's management API ({@code POST/DELETE /@connections/{id}}, SigV4 for
 * {@code execute-api}), the same against AWS and the local stack.
 *
 * <p>Not the SDK's {@code ApiGatewayManagementApiClient}: its synchronous pipeline (interceptors, marshalling, identity
 * resolution, {@code HttpURLConnection}) was a third of a move's CPU, and each post held a thread for its whole round
 * trip. Here a post is one SigV4 signature ({@link SigV4}, the day's key derived once) and one request on the JDK's
 * asynchronous, pooled HTTP client, so a fan-out's posts are in flight at once and cost no thread while they wait. The answers are the
 * service's: 2xx delivered, 410 {@code GoneException} gone; anything else is an error for the caller to log.
 * Thread safe.
 */
@Singleton
@Requires(property = "tilemud.realtime.management-endpoint", pattern = ".+")
public class ApiGatewayClientMessenger implements ClientMessenger {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final String endpoint;
    private final AwsCredentialsProvider credentials;
    private final SigV4 signer;
    private final Clock clock;
    private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;

    public ApiGatewayClientMessenger(RealtimeSettings settings, DynamoDbSettings aws, Clock clock) {
        this.endpoint = settings.managementEndpoint().replaceAll("/+$", "");
        this.signer = new SigV4(aws.region(), "execute-api");
        this.clock = clock;
        // The local stack's static credentials are the same emulator credentials DynamoDB Local gets.
        this.credentials = aws.hasStaticCredentials()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()))
                : DefaultCredentialsProvider.builder().build();
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(1))
                // HTTPS (AWS) negotiates HTTP/2 by ALPN where offered; plain HTTP (local) stays on 1.1, no h2c upgrade.
                .version(endpoint.startsWith("https:") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .executor(callbacks)
                .build();
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
        byte[] data = frame.getBytes(StandardCharsets.UTF_8);
        if (data.length > Frames.MAX_FRAME_BYTES) {
            // API Gateway would refuse it (PayloadTooLargeException); every frame producer bounds its size, so this
            // is a bug to surface, not a reason to drop the connection.
            throw new IllegalArgumentException("frame of " + data.length + " bytes exceeds " + Frames.MAX_FRAME_BYTES);
        }
        return call("POST", connectionId, data).thenApply(status -> status / 100 == 2);
    }

    @Override
    public void disconnect(String connectionId) {
        try {
            // 204 closed, 410 already gone: either way nothing is left to close.
            call("DELETE", connectionId, null).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** @return the status, for 2xx and 410; any other answer fails the future */
    private CompletableFuture<Integer> call(String method, String connectionId, byte[] body) {
        URI uri = URI.create(endpoint + "/@connections/" + URLEncoder.encode(connectionId, StandardCharsets.UTF_8));
        Map<String, String> headers = body == null ? Map.of() : Map.of("content-type", "application/json");
        AwsCredentialsIdentity identity = credentials.resolveCredentials();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        // host is signed too; the JDK client sends it as the URI names it.
        signer.sign(method, uri, headers, body, identity, clock.instant()).forEach(request::header);
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            int status = response.statusCode();
            if (status / 100 == 2 || status == 410) {
                return status;
            }
            throw new ManagementApiException(method + " @connections/" + connectionId + " answered " + status + " "
                    + response.headers().firstValue("x-amzn-ErrorType").orElse("") + " " + response.body());
        });
    }

    /** The management API refused a call for another reason than a gone connection (throttling, auth, size). */
    public static final class ManagementApiException extends RuntimeException {
        ManagementApiException(String message) {
            super(message);
        }
    }

    @PreDestroy
    void close() {
        http.shutdownNow();
        callbacks.shutdown();
    }
}
