package io.tilemud.functions.admission;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.ApplicationContext;
import io.tilemud.functions.web.HttpApiFunction;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.functions.support.HttpEvents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The production handler on its own application context with some settings overridden (a short admission timeout,
 * an unreachable Redis): for the few tests that cannot use the JVM-wide shared context. Close it after use.
 */
final class IsolatedFunction implements AutoCloseable {
    private final ApplicationContext context;
    private final HttpApiFunction handler;

    IsolatedFunction(Map<String, Object> overrides) {
        Map<String, Object> properties = new HashMap<>(SharedTestInfra.get().properties());
        properties.putAll(overrides);
        this.context = ApplicationContext.builder().properties(properties).start();
        this.handler = new HttpApiFunction(context);
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    record Response(int status, Map<String, String> headers, JsonNode json) {
    }

    Response send(HttpEvents.Builder event) {
        APIGatewayV2HTTPResponse r = handler.handleRequest(event.build(), new LocalLambdaContext());
        String body = r.getBody() == null ? "" : r.getIsBase64Encoded()
                ? new String(Base64.getDecoder().decode(r.getBody()), StandardCharsets.UTF_8) : r.getBody();
        Map<String, String> headers = new HashMap<>();
        if (r.getHeaders() != null) {
            r.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v));
        }
        if (r.getMultiValueHeaders() != null) {
            r.getMultiValueHeaders().forEach((k, v) -> headers.putIfAbsent(k.toLowerCase(), v.getFirst()));
        }
        try {
            return new Response(r.getStatusCode(), headers, body.isEmpty() ? null : HttpEvents.JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
