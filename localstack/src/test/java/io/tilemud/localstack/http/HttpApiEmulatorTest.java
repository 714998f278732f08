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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the HTTP API emulation invokes its function, seen from inside the function. */
class HttpApiEmulatorTest {
    /**
     * Lambda runs a handler on a named thread; on an unnamed virtual thread Logback looks up every event's thread
     * name by reflection, a cost no Lambda pays (issue 15). Each invocation gets a thread of its own, named.
     */
    @Test
    void eachInvocationRunsOnANamedThreadOfItsOwn() throws Exception {
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function = (event, context) ->
                APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                        .withHeaders(Map.of("Content-Type", "text/plain"))
                        .withBody(Thread.currentThread().getName()).build();
        int port = Ports.free();
        DevIdentityProvider identity = new DevIdentityProvider("http://127.0.0.1:" + port + "/dev", "tilemud");
        try (HttpApiEmulator emulator = HttpApiEmulator.start(port, function, identity, Set.of("GET /version"), "{}",
                Optional.empty());
             HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + emulator.port() + "/version"))
                    .build();

            HttpResponse<String> first = http.send(request, HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = http.send(request, HttpResponse.BodyHandlers.ofString());

            assertEquals(200, first.statusCode());
            assertTrue(first.body().startsWith(HttpApiEmulator.INVOCATION_THREAD_PREFIX), first.body());
            assertTrue(second.body().startsWith(HttpApiEmulator.INVOCATION_THREAD_PREFIX), second.body());
            assertNotEquals(first.body(), second.body());
        }
    }
}
