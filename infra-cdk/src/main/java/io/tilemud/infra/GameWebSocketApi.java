package io.tilemud.infra;

import io.tilemud.contract.WebSocketRoutes;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.WebSocketLambdaAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.WebSocketLambdaAuthorizerProps;
import software.amazon.awscdk.aws_apigatewayv2_integrations.WebSocketLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteOptions;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.constructs.Construct;

import java.util.List;

/**
 * The realtime WebSocket API (section 3). Built in two steps because the functions need the stage's management
 * endpoint before the routes can point at the functions: the constructor creates API and stage,
 * {@link #route(Functions)} adds the routes.
 */
public final class GameWebSocketApi extends Construct {
    /**
     * API Gateway refuses a $connect before calling the authorizer when any identity source is missing. Clients send
     * the token either as query {@code token} or in {@code Sec-WebSocket-Protocol}, so neither can be required; the
     * session id query parameter is always there. The authorizer reads the token from whichever carries it, and
     * WebSocket authorizers do not cache, so the choice has no effect beyond that presence check.
     */
    static final String IDENTITY_SOURCE = "route.request.querystring." + ContractAdditions.WS_SESSION_QUERY_PARAM;

    private final WebSocketApi api;
    private final WebSocketStage stage;

    public GameWebSocketApi(Construct scope, String id, StackSettings settings) {
        super(scope, id);
        api = WebSocketApi.Builder.create(this, "Api")
                .apiName(settings.stackName() + "-realtime")
                .description("TileMUD realtime WebSocket API")
                .routeSelectionExpression(WebSocketRoutes.ROUTE_SELECTION_EXPRESSION)
                .build();
        stage = WebSocketStage.Builder.create(this, "Stage")
                .webSocketApi(api)
                .stageName(settings.wsStageName())
                .autoDeploy(true)
                .throttle(ThrottleSettings.builder()
                        .rateLimit(settings.wsThrottle().ratePerSecond())
                        .burstLimit(settings.wsThrottle().burst())
                        .build())
                .build();
    }

    /** Adds $connect (with the REQUEST authorizer), $disconnect and every intent route. */
    public void route(Functions functions) {
        var authorizer = new WebSocketLambdaAuthorizer("ConnectAuthorizer",
                functions.get(FunctionId.WS_AUTHORIZER).alias(),
                WebSocketLambdaAuthorizerProps.builder()
                        .authorizerName("tilemud-connect")
                        .identitySource(List.of(IDENTITY_SOURCE))
                        .build());
        api.addRoute(WebSocketRoutes.CONNECT, WebSocketRouteOptions.builder()
                .integration(new WebSocketLambdaIntegration("ConnectIntegration",
                        functions.get(FunctionId.WS_CONNECT).alias()))
                .authorizer(authorizer)
                .build());
        api.addRoute(WebSocketRoutes.DISCONNECT, WebSocketRouteOptions.builder()
                .integration(new WebSocketLambdaIntegration("DisconnectIntegration",
                        functions.get(FunctionId.WS_DISCONNECT).alias()))
                .build());
        // One integration per route: a WebSocket Lambda integration grants invoke permission for the route it is
        // first bound to only, so a shared one would leave every other intent route unable to call the function.
        var intents = functions.get(FunctionId.WS_INTENTS).alias();
        for (String routeKey : WebSocketRoutes.INTENT_ROUTES) {
            api.addRoute(routeKey, WebSocketRouteOptions.builder()
                    .integration(new WebSocketLambdaIntegration("IntentsIntegration" + routeKey, intents))
                    .build());
        }
    }

    public WebSocketApi api() {
        return api;
    }

    public WebSocketStage stage() {
        return stage;
    }

    /** {@code wss://{api-id}.execute-api.{region}.amazonaws.com/{stage}}. */
    public String url() {
        return stage.getUrl();
    }
}
