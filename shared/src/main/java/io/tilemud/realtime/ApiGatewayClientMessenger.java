package io.tilemud.realtime;

import io.micronaut.context.annotation.Requires;
import io.tilemud.connection.DynamoDbSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * trip. Here a post is one SigV4 signature (the SDK's own signer) and one request on the JDK's asynchronous, pooled
 * HTTP client, so a fan-out's posts are in flight at once and cost no thread while they wait. The answers are the
 * service's: 2xx delivered, 410 {@code GoneException} gone; anything else is an error for the caller to log.
 * Thread safe.
 */
@Singleton
@Requires(property = "tilemud.realtime.management-endpoint", pattern = ".+")
public class ApiGatewayClientMessenger implements ClientMessenger {
    /** Set by the JDK client itself (it refuses them as request headers). */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

    private final String endpoint;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;

    public ApiGatewayClientMessenger(RealtimeSettings settings, DynamoDbSettings aws) {
        this.endpoint = settings.managementEndpoint().replaceAll("/+$", "");
        this.region = aws.region();
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
        return call(SdkHttpMethod.POST, connectionId, data).thenApply(status -> status / 100 == 2);
    }

    @Override
    public void disconnect(String connectionId) {
        try {
            // 204 closed, 410 already gone: either way nothing is left to close.
            call(SdkHttpMethod.DELETE, connectionId, null).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** @return the status, for 2xx and 410; any other answer fails the future */
    private CompletableFuture<Integer> call(SdkHttpMethod method, String connectionId, byte[] body) {
        URI uri = URI.create(endpoint + "/@connections/" + URLEncoder.encode(connectionId, StandardCharsets.UTF_8)
                .replace("+", "%20"));
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(method).uri(uri);
        if (body != null) {
            unsigned.putHeader("Content-Type", "application/json");
        }
        AwsCredentialsIdentity identity = credentials.resolveCredentials();
        SignedRequest signed = signer.sign(r -> r.identity(identity).request(unsigned.build())
                .payload(body == null ? null : ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .method(method.name(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
            if (!RESTRICTED.contains(header.getKey().toLowerCase(java.util.Locale.ROOT))) {
                header.getValue().forEach(value -> request.header(header.getKey(), value));
            }
        }
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
