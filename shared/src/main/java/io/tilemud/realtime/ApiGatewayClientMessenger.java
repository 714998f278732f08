package io.tilemud.realtime;

import io.micronaut.context.annotation.Requires;
import io.tilemud.connection.DynamoDbSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link ClientMessenger} through API Gateway's management API ({@code POST/DELETE /@connections/{id}}, SigV4 for
 * {@code execute-api}), the same against AWS and the local stack.
 *
 * <p>Not the SDK's {@code ApiGatewayManagementApiClient}: its synchronous pipeline (interceptors, marshalling, identity
 * resolution, {@code HttpURLConnection}) was a third of a move's CPU, and each post held a thread for its whole round
 * trip. Nor the JDK's {@code HttpClient} any more: under the rooms load its selector hand-offs
 * ({@code registerEvent}, {@code eventUpdated}, a wake-up per request) were a third of the stack's CPU. Here a post is
 * one SigV4 signature ({@link SigV4}, the day's key derived once) and one request on the SDK's Netty HTTP client
 * used directly (pooled keep-alive connections, its own small event loop, no SDK pipeline), so a fan-out's posts are
 * in flight at once and cost no thread while they wait. The answers are the service's: 2xx delivered, 410
 * {@code GoneException} gone; anything else is an error for the caller to log. Thread safe.
 */
@Singleton
@Requires(property = "tilemud.realtime.management-endpoint", pattern = ".+")
public class ApiGatewayClientMessenger implements ClientMessenger {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** Posts in flight at once (one pooled connection each, HTTP/1.1); the rest wait for a connection. */
    private static final int MAX_CONNECTIONS = 256;
    private static final int MAX_ERROR_BODY = 1024;

    private final String endpoint;
    private final AwsCredentialsProvider credentials;
    private final SigV4 signer;
    private final Clock clock;
    private final SdkAsyncHttpClient http;

    public ApiGatewayClientMessenger(RealtimeSettings settings, DynamoDbSettings aws, Clock clock) {
        this.endpoint = settings.managementEndpoint().replaceAll("/+$", "");
        this.signer = new SigV4(aws.region(), "execute-api");
        this.clock = clock;
        // The local stack's static credentials are the same emulator credentials DynamoDB Local gets.
        this.credentials = aws.hasStaticCredentials()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()))
                : DefaultCredentialsProvider.builder().build();
        this.http = NettyNioAsyncHttpClient.builder()
                // HTTP/1.1 with keep-alive against AWS (TLS) and the local stack alike: no protocol to negotiate.
                .protocol(Protocol.HTTP1_1)
                .maxConcurrency(MAX_CONNECTIONS)
                .connectionTimeout(Duration.ofSeconds(1))
                .connectionAcquisitionTimeout(REQUEST_TIMEOUT)
                .readTimeout(REQUEST_TIMEOUT)
                .writeTimeout(REQUEST_TIMEOUT)
                // A Lambda container has one or two vCPUs; one event loop thread does the I/O of every post.
                .eventLoopGroup(SdkEventLoopGroup.builder().numberOfThreads(1).build())
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
        URI uri = URI.create(endpoint + "/@connections/" + URLEncoder.encode(connectionId, StandardCharsets.UTF_8));
        byte[] payload = body == null ? new byte[0] : body;
        Map<String, String> headers = body == null ? Map.of() : Map.of("content-type", "application/json");
        AwsCredentialsIdentity identity = credentials.resolveCredentials();
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(method).uri(uri)
                // host is signed, so it is sent exactly as signed (the client would otherwise derive its own).
                .putHeader("Host", SigV4.hostHeader(uri))
                .putHeader("Content-Length", Integer.toString(payload.length));
        headers.forEach(request::putHeader);
        signer.sign(method.name(), uri, headers, body, identity, clock.instant()).forEach(request::putHeader);
        Answer answer = new Answer(method + " @connections/" + connectionId);
        CompletableFuture<Void> executed = http.execute(AsyncExecuteRequest.builder()
                .request(request.build())
                .requestContentPublisher(new OneBuffer(payload))
                .responseHandler(answer)
                .build());
        // A failure before or instead of the response (connect, timeouts, pool) fails the answer too.
        executed.whenComplete((ignored, failure) -> {
            if (failure != null) {
                answer.status.completeExceptionally(failure);
            }
        });
        return answer.status;
    }

    /** The management API refused a call for another reason than a gone connection (throttling, auth, size). */
    public static final class ManagementApiException extends RuntimeException {
        ManagementApiException(String message) {
            super(message);
        }
    }

    /**
     * One response: the status when its body has been read (the connection goes back to the pool only then); the
     * body is kept, bounded, for the error message of a refusal.
     */
    private static final class Answer implements SdkAsyncHttpResponseHandler {
        private final String call;
        private final CompletableFuture<Integer> status = new CompletableFuture<>();
        private volatile SdkHttpResponse response;

        Answer(String call) {
            this.call = call;
        }

        @Override
        public void onHeaders(SdkHttpResponse headers) {
            this.response = headers;
        }

        @Override
        public void onStream(Publisher<ByteBuffer> stream) {
            stream.subscribe(new Subscriber<>() {
                private final ByteArrayOutputStream error = new ByteArrayOutputStream();

                @Override
                public void onSubscribe(Subscription subscription) {
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(ByteBuffer chunk) {
                    int room = MAX_ERROR_BODY - error.size();
                    if (room > 0) {
                        byte[] bytes = new byte[Math.min(room, chunk.remaining())];
                        chunk.get(bytes);
                        error.writeBytes(bytes);
                    }
                }

                @Override
                public void onError(Throwable failure) {
                    status.completeExceptionally(failure);
                }

                @Override
                public void onComplete() {
                    finish(error.toString(StandardCharsets.UTF_8));
                }
            });
        }

        @Override
        public void onError(Throwable failure) {
            status.completeExceptionally(failure);
        }

        private void finish(String body) {
            int code = response.statusCode();
            if (code / 100 == 2 || code == 410) {
                status.complete(code);
            } else {
                status.completeExceptionally(new ManagementApiException(call + " answered " + code + " "
                        + response.firstMatchingHeader("x-amzn-ErrorType").orElse("") + " " + body));
            }
        }
    }

    /** A request body already in memory, as the one-element stream the client reads. */
    private record OneBuffer(byte[] bytes) implements SdkHttpContentPublisher {
        @Override
        public Optional<Long> contentLength() {
            return Optional.of((long) bytes.length);
        }

        @Override
        public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
            AtomicBoolean sent = new AtomicBoolean();
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    if (n > 0 && sent.compareAndSet(false, true)) {
                        if (bytes.length > 0) {
                            subscriber.onNext(ByteBuffer.wrap(bytes));
                        }
                        subscriber.onComplete();
                    }
                }

                @Override
                public void cancel() {
                    sent.set(true);
                }
            });
        }
    }

    @PreDestroy
    void close() {
        http.close();
    }
}
