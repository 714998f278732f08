package io.tilemud.localstack.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tilemud.embedded.DevIdentityProvider;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The dev identity provider's endpoints under {@code /dev/}: mint a token, the JWKS, and OIDC discovery so generic
 * OIDC tooling can find the keys; and {@code GET /dev/metrics}, the meters in Prometheus text format (what reaches
 * CloudWatch as EMF in AWS). Only the local stack serves these; nothing like it ships to Lambda.
 */
final class DevIdentityRoutes {
    static final String PREFIX = "/dev/";
    private static final int MAX_SUBJECT_LENGTH = 128;
    private static final long MAX_TTL_SECONDS = 24 * 3600;

    private final DevIdentityProvider identity;
    private final ObjectMapper json = new ObjectMapper();
    private final String baseUrl;
    private final Optional<Supplier<String>> metrics;

    /** @param metrics the Prometheus scrape, when the local stack has a Prometheus registry */
    DevIdentityRoutes(DevIdentityProvider identity, String baseUrl, Optional<Supplier<String>> metrics) {
        this.identity = identity;
        this.baseUrl = baseUrl;
        this.metrics = metrics;
    }

    Optional<FullHttpResponse> handle(FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        if (!path.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return Optional.of(switch (path) {
            case "/dev/token" -> request.method().equals(HttpMethod.POST) ? mint(request) : methodNotAllowed();
            case "/dev/jwks.json" -> HttpEventMapper.json(HttpResponseStatus.OK, identity.jwksJson());
            case "/dev/.well-known/openid-configuration" -> HttpEventMapper.json(HttpResponseStatus.OK, """
                    {"issuer":"%s","jwks_uri":"%s/dev/jwks.json","id_token_signing_alg_values_supported":["RS256"]}"""
                    .formatted(identity.issuer(), baseUrl));
            case "/dev/metrics" -> !request.method().equals(HttpMethod.GET) ? methodNotAllowed("GET")
                    : metrics.map(scrape -> prometheus(scrape.get()))
                    .orElseGet(() -> error(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no metrics registry"));
            default -> error(HttpResponseStatus.NOT_FOUND, "NOT_FOUND", "no such dev endpoint");
        });
    }

    private FullHttpResponse mint(FullHttpRequest request) {
        JsonNode body;
        try {
            body = json.readTree(ByteBufUtil.getBytes(request.content()));
        } catch (IOException e) {
            return error(HttpResponseStatus.BAD_REQUEST, "BAD_REQUEST", "body must be JSON like {\"sub\":\"alice\",\"admin\":false}");
        }
        if (body == null || !body.path("sub").isTextual() || body.path("sub").asText().isBlank()
                || body.path("sub").asText().length() > MAX_SUBJECT_LENGTH) {
            return error(HttpResponseStatus.BAD_REQUEST, "VALIDATION_FAILED", "sub must be a non-empty string of at most "
                    + MAX_SUBJECT_LENGTH + " characters");
        }
        long ttl = body.path("ttlSeconds").asLong(3600);
        if (ttl <= 0 || ttl > MAX_TTL_SECONDS) {
            return error(HttpResponseStatus.BAD_REQUEST, "VALIDATION_FAILED", "ttlSeconds must be 1.." + MAX_TTL_SECONDS);
        }
        String token = identity.mint(body.get("sub").asText(), body.path("admin").asBoolean(false), Instant.now(),
                Duration.ofSeconds(ttl));
        return HttpEventMapper.json(HttpResponseStatus.OK, json.createObjectNode()
                .put("accessToken", token).put("tokenType", "Bearer").put("expiresIn", ttl).toString());
    }

    private FullHttpResponse methodNotAllowed() {
        return methodNotAllowed("POST");
    }

    private FullHttpResponse methodNotAllowed(String method) {
        return error(HttpResponseStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", "use " + method);
    }

    /** Prometheus text exposition format 0.0.4, what {@code PrometheusMeterRegistry.scrape()} writes. */
    private static FullHttpResponse prometheus(String text) {
        FullHttpResponse response = new io.netty.handler.codec.http.DefaultFullHttpResponse(
                io.netty.handler.codec.http.HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                io.netty.buffer.Unpooled.copiedBuffer(text, java.nio.charset.StandardCharsets.UTF_8));
        response.headers().set(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8");
        response.headers().setInt(io.netty.handler.codec.http.HttpHeaderNames.CONTENT_LENGTH,
                response.content().readableBytes());
        return response;
    }

    private FullHttpResponse error(HttpResponseStatus status, String code, String message) {
        return HttpEventMapper.json(status, json.createObjectNode().put("code", code).put("message", message)
                .put("transient", false).toString());
    }
}
