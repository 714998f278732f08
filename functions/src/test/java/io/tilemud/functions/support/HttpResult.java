package io.tilemud.functions.support;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A handler response with its body decoded and parsed. */
public record HttpResult(int status, APIGatewayV2HTTPResponse raw, String body) {

    public static HttpResult of(APIGatewayV2HTTPResponse response) {
        String body = response.getBody() == null ? "" : response.getIsBase64Encoded()
                ? new String(Base64.getDecoder().decode(response.getBody()), StandardCharsets.UTF_8)
                : response.getBody();
        return new HttpResult(response.getStatusCode(), response, body);
    }

    public JsonNode json() {
        try {
            return HttpEvents.JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    public String header(String name) {
        if (raw.getHeaders() != null) {
            for (var e : raw.getHeaders().entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
        }
        if (raw.getMultiValueHeaders() != null) {
            for (var e : raw.getMultiValueHeaders().entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().getFirst();
                }
            }
        }
        return null;
    }
}
