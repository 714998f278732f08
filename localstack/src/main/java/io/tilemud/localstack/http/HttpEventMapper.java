package io.tilemud.localstack.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates between HTTP on the wire and API Gateway HTTP API payload format 2.0, as documented by AWS: lower-case
 * header names, repeated headers joined with commas, cookies in their own list, text bodies as-is and binary ones
 * base64-encoded, and a {@code $default} stage.
 */
final class HttpEventMapper {
    static final String API_ID = "local";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private HttpEventMapper() {
    }

    static APIGatewayV2HTTPEvent toEvent(FullHttpRequest request, InetSocketAddress remote, String requestId,
                                         Map<String, String> claims) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        request.headers().forEach(h -> {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("cookie")) {
                for (String cookie : h.getValue().split(";")) {
                    cookies.add(cookie.strip());
                }
            } else {
                headers.merge(name, h.getValue(), (a, b) -> a + "," + b);
            }
        });
        Map<String, String> query = new LinkedHashMap<>();
        uri.parameters().forEach((name, values) -> query.put(name, String.join(",", values)));
        int q = request.uri().indexOf('?');
        String rawQuery = q < 0 ? "" : request.uri().substring(q + 1);

        byte[] body = ByteBufUtil.getBytes(request.content());
        boolean text = isText(headers.get("content-type"));
        Instant now = Instant.now();
        String host = headers.getOrDefault("host", "127.0.0.1");
        String sourceIp = remote == null ? "127.0.0.1" : remote.getAddress().getHostAddress();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(uri.rawPath())
                .withRawQueryString(rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withBody(body.length == 0 ? null : text ? new String(body, StandardCharsets.UTF_8)
                        : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0 && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withAccountId("000000000000")
                        .withApiId(API_ID)
                        .withDomainName(host)
                        .withDomainPrefix(domainPrefix(host))
                        .withRequestId(requestId)
                        .withRouteKey("$default")
                        .withStage("$default")
                        .withTime(REQUEST_TIME.format(now))
                        .withTimeEpoch(now.toEpochMilli())
                        .withAuthorizer(claims == null ? null : APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                                .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                        .withClaims(claims).withScopes(null).build())
                                .build())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(request.method().name())
                                .withPath(uri.rawPath())
                                .withProtocol(request.protocolVersion().text())
                                .withSourceIp(sourceIp)
                                .withUserAgent(headers.get("user-agent"))
                                .build())
                        .build())
                .build();
    }

    private static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("x-www-form-urlencoded") || type.contains("javascript");
    }

    /** The host's first label ({@code abc123} of {@code abc123.execute-api…}, {@code 127} of {@code 127.0.0.1:3000}). */
    static String domainPrefix(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c == '.' || c == ':') {
                return host.substring(0, i);
            }
        }
        return host;
    }

    static FullHttpResponse toHttp(APIGatewayV2HTTPResponse response) {
        byte[] body = response.getBody() == null ? new byte[0] : response.getIsBase64Encoded()
                ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.getStatusCode()), Unpooled.wrappedBuffer(body));
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> http.headers().set(name, value));
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> http.headers().set(name, values));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(cookie -> http.headers().add(HttpHeaderNames.SET_COOKIE, cookie));
        }
        http.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return http;
    }

    static FullHttpResponse json(HttpResponseStatus status, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        http.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return http;
    }
}
