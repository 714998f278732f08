package io.tilemud.localstack.websocket;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import io.tilemud.contract.WebSocketRoutes;

import java.util.Map;
import java.util.Optional;

/**
 * What a deployed WebSocket API is configured with: an optional REQUEST authorizer on {@code $connect} and the
 * Lambda handler behind each route key.
 */
public record WebSocketApiRoutes(
        Optional<RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse>> authorizer,
        Map<String, RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse>> routes) {

    public WebSocketApiRoutes {
        routes = Map.copyOf(routes);
    }

    Optional<RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse>> route(String routeKey) {
        return Optional.ofNullable(routes.get(routeKey));
    }

    /** API Gateway's route selection: the body's {@code type} if a route has that key, else {@code $default}. */
    String select(String routeKeyFromBody) {
        return routeKeyFromBody != null && !routeKeyFromBody.startsWith("$") && routes.containsKey(routeKeyFromBody)
                ? routeKeyFromBody : WebSocketRoutes.DEFAULT;
    }
}
