package io.tilemud.localstack.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.tilemud.contract.HttpApiCors;

import java.util.List;
import java.util.Optional;

/**
 * CORS as an API Gateway HTTP API with {@code corsPreflight} answers it (same settings as the CDK stack, from
 * {@link HttpApiCors}): a preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) is
 * answered here, before the authorizer, for any path; other responses to an allowed origin get the allow-origin and
 * expose headers. A request from an origin that is not allowed gets no CORS headers (the browser then blocks it).
 */
final class Cors {
    private final List<String> allowOrigins;

    Cors(List<String> allowOrigins) {
        this.allowOrigins = List.copyOf(allowOrigins);
    }

    Optional<FullHttpResponse> preflight(FullHttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (!request.method().equals(HttpMethod.OPTIONS) || origin == null
                || !request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
            return Optional.empty();
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT,
                Unpooled.EMPTY_BUFFER);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        String requested = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
        if (allowed(origin) && HttpApiCors.ALLOW_METHODS.contains(requested)) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowOriginValue(origin));
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, String.join(",", HttpApiCors.ALLOW_METHODS));
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
                    String.join(",", HttpApiCors.ALLOW_HEADERS).toLowerCase(java.util.Locale.ROOT));
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, HttpApiCors.MAX_AGE_SECONDS);
        }
        return Optional.of(response);
    }

    /** Adds the headers API Gateway puts on an integration's (or its own) response to an allowed origin. */
    FullHttpResponse decorate(FullHttpRequest request, FullHttpResponse response) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && allowed(origin) && !response.headers().contains(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowOriginValue(origin));
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS,
                    String.join(",", HttpApiCors.EXPOSE_HEADERS).toLowerCase(java.util.Locale.ROOT));
            if (!allowOrigins.contains("*")) {
                response.headers().add(HttpHeaderNames.VARY, "Origin");
            }
        }
        return response;
    }

    private boolean allowed(String origin) {
        return allowOrigins.contains("*") || allowOrigins.contains(origin);
    }

    private String allowOriginValue(String origin) {
        return allowOrigins.contains("*") ? "*" : origin;
    }
}
