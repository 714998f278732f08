package io.tilemud.websocket.support;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** WebSocket API events made from recorded ones, with only the per-test fields changed. */
public final class WebSocketEvents {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private WebSocketEvents() {
    }

    private static APIGatewayV2WebSocketEvent load(String name) {
        try (InputStream in = WebSocketEvents.class.getResourceAsStream("/fixtures/" + name)) {
            return JSON.readValue(in, APIGatewayV2WebSocketEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static APIGatewayV2WebSocketEvent connect(String connectionId, String subject, Map<String, String> query) {
        APIGatewayV2WebSocketEvent event = load("apigw-ws-connect-event.json");
        event.getRequestContext().setConnectionId(connectionId);
        Map<String, Object> authorizer = new HashMap<>(event.getRequestContext().getAuthorizer());
        authorizer.put("principalId", subject);
        event.getRequestContext().setAuthorizer(authorizer);
        event.setQueryStringParameters(query);
        return event;
    }

    public static APIGatewayV2WebSocketEvent message(String connectionId, String routeKey, String body) {
        APIGatewayV2WebSocketEvent event = load("apigw-ws-message-event.json");
        event.getRequestContext().setConnectionId(connectionId);
        event.getRequestContext().setRouteKey(routeKey);
        event.setBody(body);
        return event;
    }

    public static APIGatewayV2WebSocketEvent disconnect(String connectionId) {
        APIGatewayV2WebSocketEvent event = load("apigw-ws-message-event.json");
        event.getRequestContext().setConnectionId(connectionId);
        event.getRequestContext().setRouteKey("$disconnect");
        event.getRequestContext().setEventType("DISCONNECT");
        event.setBody(null);
        return event;
    }
}
