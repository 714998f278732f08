package io.tilemud.localstack.http;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.tilemud.embedded.DevIdentityProvider;
import io.tilemud.embedded.Ports;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the HTTP API emulation invokes its function, seen from inside the function and from its clients. */
class HttpApiEmulatorTest {
    private static final Set<String> PUBLIC = Set.of("GET /version", "GET /hold");

    /** The function answers with where it ran: its thread's name and id, and its request id. */
    private static APIGatewayV2HTTPResponse whereItRan(APIGatewayV2HTTPEvent event) {
        Thread thread = Thread.currentThread();
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                .withHeaders(Map.of("Content-Type", "text/plain"))
                .withBody(thread.getName() + "|" + thread.threadId() + "|" + event.getRequestContext().getRequestId())
                .build();
    }

    /**
     * A warm Lambda runs each invocation on its container's one handler thread, named, and reuses it: per-thread
     * caches (Logback's encoder state, Hikari's connection affinity) are built once, not per request (issue 15).
     */
    @Test
    void sequentialInvocationsReuseOneWarmEnvironmentsNamedThread() throws Exception {
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function = (event, context) -> whereItRan(event);
        try (Started s = start(function, 10); HttpClient http = HttpClient.newHttpClient()) {
            String[] first = http.send(s.get("/version"), HttpResponse.BodyHandlers.ofString()).body().split("\\|");
            assertTrue(first[0].startsWith(HttpApiEmulator.INVOCATION_THREAD_PREFIX), first[0]);
            for (int i = 0; i < 5; i++) {
                settle();
                String[] later = http.send(s.get("/version"), HttpResponse.BodyHandlers.ofString()).body().split("\\|");
                assertEquals(first[0] + "|" + first[1], later[0] + "|" + later[1],
                        "a later invocation ran on the first one's thread (its idle, warm environment)");
            }
        }
    }

    /**
     * Past its concurrency limit Lambda throttles an invocation instead of queueing it, and API Gateway answers
     * 500: the refusal comes at once, the function never sees the request, and capacity returns as invocations end.
     */
    @Test
    void pastTheConcurrencyLimit_anInvocationIsThrottledAtOnceAndNeverRuns() throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger invocations = new AtomicInteger();
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function = (event, context) -> {
            invocations.incrementAndGet();
            if (event.getRawPath().equals("/hold")) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return whereItRan(event);
        };
        try (Started s = start(function, 2); HttpClient http = HttpClient.newHttpClient()) {
            CompletableFuture<HttpResponse<String>> held1 = http.sendAsync(s.get("/hold"), HttpResponse.BodyHandlers.ofString());
            CompletableFuture<HttpResponse<String>> held2 = http.sendAsync(s.get("/hold"), HttpResponse.BodyHandlers.ofString());
            assertTrue(entered.await(10, TimeUnit.SECONDS), "both environments busy");

            long sent = System.nanoTime();
            HttpResponse<String> throttled = http.send(s.get("/version"), HttpResponse.BodyHandlers.ofString());
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);

            assertEquals(500, throttled.statusCode());
            assertEquals(ApiGatewayErrors.INTERNAL, throttled.body());
            assertNotNull(throttled.headers().firstValue(HttpApiEmulator.REQUEST_ID_HEADER).orElse(null));
            assertTrue(tookMs < 5_000, "refused at once, not after the held invocations: " + tookMs + " ms");
            assertEquals(2, invocations.get(), "the throttled request never reached the function");

            release.countDown();
            String name1 = held1.get(10, TimeUnit.SECONDS).body().split("\\|")[0];
            String name2 = held2.get(10, TimeUnit.SECONDS).body().split("\\|")[0];
            assertNotEquals(name1, name2, "concurrent invocations run in environments of their own");
            settle();
            HttpResponse<String> after = http.send(s.get("/version"), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, after.statusCode(), "capacity is back once the held invocations end");
            String reused = after.body().split("\\|")[0];
            assertTrue(reused.equals(name1) || reused.equals(name2), "a warm environment served it: " + reused);
        }
    }

    /** API Gateway names each request with one id: the event's requestContext.requestId and the apigw-requestid header. */
    @Test
    void theAnswerCarriesTheRequestIdTheFunctionSaw_andEachRequestHasItsOwn() throws Exception {
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function = (event, context) -> whereItRan(event);
        try (Started s = start(function, 10); HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> first = http.send(s.get("/version"), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = http.send(s.get("/version"), HttpResponse.BodyHandlers.ofString());
            // The authorizer's own 401 is API Gateway's answer too, and named like any other.
            HttpResponse<String> unauthorized = http.send(s.get("/me"), HttpResponse.BodyHandlers.ofString());

            String seen = first.body().split("\\|")[2];
            assertEquals(seen, first.headers().firstValue(HttpApiEmulator.REQUEST_ID_HEADER).orElseThrow());
            assertEquals(second.body().split("\\|")[2],
                    second.headers().firstValue(HttpApiEmulator.REQUEST_ID_HEADER).orElseThrow());
            assertNotEquals(seen, second.body().split("\\|")[2]);
            assertEquals(401, unauthorized.statusCode());
            assertTrue(unauthorized.headers().firstValue(HttpApiEmulator.REQUEST_ID_HEADER).isPresent());
        }
    }

    /**
     * An environment whose answer was just sent is still finishing its invocation (as in Lambda, it counts as busy
     * until then); a moment later it is idle.
     */
    private static void settle() throws InterruptedException {
        Thread.sleep(100);
    }

    private record Started(HttpApiEmulator emulator) implements AutoCloseable {
        HttpRequest get(String path) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + emulator.port() + path)).build();
        }

        @Override
        public void close() {
            emulator.close();
        }
    }

    private static Started start(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function,
                                 int concurrency) throws InterruptedException {
        int port = Ports.free();
        DevIdentityProvider identity = new DevIdentityProvider("http://127.0.0.1:" + port + "/dev", "tilemud");
        return new Started(HttpApiEmulator.start(port, function, identity, PUBLIC, "{}", Optional.empty(), concurrency));
    }
}
