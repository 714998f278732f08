package io.tilemud.localstack.websocket;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tilemud.localstack.RequestIds;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The events API Gateway's WebSocket API hands to Lambda, field for field. */
final class WebSocketEvents {
    static final String API_ID = "localws";
    static final String ACCOUNT = "000000000000";
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private WebSocketEvents() {
    }

    record Handshake(Map<String, String> headers, Map<String, List<String>> multiHeaders, Map<String, String> query,
                     Map<String, List<String>> multiQuery, String stage, String host) {

        static Handshake of(FullHttpRequest request, String stage) {
            Map<String, String> headers = new LinkedHashMap<>();
            Map<String, List<String>> multi = new LinkedHashMap<>();
            // WebSocket events keep the client's header spelling (unlike HTTP API payload 2.0).
            for (String name : request.headers().names()) {
                List<String> values = request.headers().getAll(name);
                headers.put(name, String.join(",", values));
                multi.put(name, values);
            }
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            Map<String, String> query = new LinkedHashMap<>();
            uri.parameters().forEach((k, v) -> query.put(k, v.getLast()));
            return new Handshake(headers, multi, query.isEmpty() ? null : query,
                    uri.parameters().isEmpty() ? null : uri.parameters(), stage,
                    request.headers().get("Host", "127.0.0.1"));
        }
    }

    static APIGatewayCustomAuthorizerEvent authorizer(Handshake handshake, String connectionId) {
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        event.setType("REQUEST");
        event.setMethodArn("arn:aws:execute-api:local:" + ACCOUNT + ":" + API_ID + "/" + handshake.stage() + "/$connect");
        event.setHeaders(handshake.headers());
        event.setQueryStringParameters(handshake.query());
        event.setStageVariables(null);
        APIGatewayCustomAuthorizerEvent.RequestContext context = new APIGatewayCustomAuthorizerEvent.RequestContext();
        context.setAccountId(ACCOUNT);
        context.setApiId(API_ID);
        context.setStage(handshake.stage());
        context.setRequestId(RequestIds.next());
        context.setHttpMethod("GET");
        event.setRequestContext(context);
        return event;
    }

    static APIGatewayV2WebSocketEvent event(String routeKey, String eventType, Connection connection, String stage,
                                            String host, Handshake handshake, String body) {
        Instant now = Instant.now();
        APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
        APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
        context.setRouteKey(routeKey);
        context.setEventType(eventType);
        context.setConnectionId(connection.id);
        context.setConnectedAt(connection.connectedAt.toEpochMilli());
        context.setStage(stage);
        context.setDomainName(host);
        context.setApiId(API_ID);
        context.setAccountId(ACCOUNT);
        context.setRequestId(RequestIds.next());
        context.setExtendedRequestId(context.getRequestId());
        context.setRequestTime(REQUEST_TIME.format(now));
        context.setRequestTimeEpoch(now.toEpochMilli());
        context.setMessageDirection("IN");
        context.setAuthorizer(connection.authorizerContext);
        APIGatewayV2WebSocketEvent.RequestIdentity identity = new APIGatewayV2WebSocketEvent.RequestIdentity();
        identity.setSourceIp(connection.sourceIp);
        identity.setUserAgent(connection.userAgent);
        context.setIdentity(identity);
        if ("MESSAGE".equals(eventType)) {
            context.setMessageId(RequestIds.next());
        }
        event.setRequestContext(context);
        if (handshake != null) {
            event.setHeaders(handshake.headers());
            event.setMultiValueHeaders(handshake.multiHeaders());
            event.setQueryStringParameters(handshake.query());
            event.setMultiValueQueryStringParameters(handshake.multiQuery());
        }
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return event;
    }
}
