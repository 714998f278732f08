package io.tilemud.infra;

import io.tilemud.contract.WebSocketRoutes;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.tilemud.infra.TemplateIndex.properties;
import static io.tilemud.infra.TemplateIndex.refs;
import static io.tilemud.infra.TemplateIndex.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebSocketApiTest {
    private final TemplateIndex stack = SynthesizedStack.defaults();
    private final String api = stack.apiLogicalId("WEBSOCKET");

    @Test
    void api_routeSelection_usesTheContractExpression() {
        // GIVEN the WebSocket API
        // WHEN reading its route selection
        // THEN it is the one of WebSocketRoutes
        assertEquals(WebSocketRoutes.ROUTE_SELECTION_EXPRESSION,
                properties(stack.resource(api)).get("RouteSelectionExpression"));
    }

    @Test
    void routes_eachRouteKey_invokesItsFunctionThroughTheAlias() {
        // GIVEN connect, disconnect and every intent route of the contract
        Map<String, FunctionId> expected = new LinkedHashMap<>();
        expected.put(WebSocketRoutes.CONNECT, FunctionId.WS_CONNECT);
        expected.put(WebSocketRoutes.DISCONNECT, FunctionId.WS_DISCONNECT);
        WebSocketRoutes.INTENT_ROUTES.forEach(route -> expected.put(route, FunctionId.WS_INTENTS));

        // WHEN following every route → integration → alias → function
        Map<String, FunctionId> actual = stack.routeTargets(api);

        // THEN the map is exactly the expected one
        assertEquals(expected, actual);
    }

    @Test
    void connect_route_usesTheRequestAuthorizerFunction() {
        // GIVEN the $connect route
        var connect = stack.routes(api).get(WebSocketRoutes.CONNECT);

        // WHEN reading its authorizer
        String authorizerId = single(refs(connect.get("AuthorizerId")));
        var authorizer = properties(stack.resource(authorizerId));

        // THEN it is a REQUEST Lambda authorizer, invoking the authorizer function's alias, keyed on the session id
        assertEquals("CUSTOM", connect.get("AuthorizationType"));
        assertEquals("REQUEST", authorizer.get("AuthorizerType"));
        assertEquals(FunctionId.WS_AUTHORIZER, stack.invokedFunction(authorizer.get("AuthorizerUri")));
        assertEquals(List.of("route.request.querystring.sessionId"), authorizer.get("IdentitySource"));
    }

    @Test
    void routes_otherThanConnect_haveNoAuthorizer() {
        // GIVEN every route but $connect
        // WHEN reading their authorization
        // THEN none has one (API Gateway authorizes a WebSocket once, at $connect)
        stack.routes(api).forEach((key, route) -> {
            if (!key.equals(WebSocketRoutes.CONNECT)) {
                assertEquals("NONE", route.get("AuthorizationType"), key);
            }
        });
    }

    @Test
    void permissions_everyRoute_mayInvokeItsFunction() {
        // GIVEN the Lambda permissions granted to API Gateway
        var permissions = stack.ofType("AWS::Lambda::Permission").values().stream().map(TemplateIndex::properties)
                .filter(p -> refs(p.get("SourceArn")).contains(api)).toList();

        // WHEN looking for each route's permission (source ARN ending in *<routeKey>)
        stack.routeTargets(api).forEach((routeKey, function) -> {
            boolean allowed = permissions.stream().anyMatch(p ->
                    stack.functionOfAlias(single(refs(p.get("FunctionName")))) == function
                            && p.get("SourceArn").toString().contains("/*" + routeKey));

            // THEN every route, not only the first of a shared integration, can call its function
            assertTrue(allowed, "no invoke permission for route " + routeKey);
        });
    }

    @Test
    void stage_default_autoDeploysWithThrottling() {
        // GIVEN the default settings
        // WHEN the stack is synthesized
        // THEN the stage auto-deploys and throttles at the configured rate and burst
        stack.template().hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "ApiId", Map.of("Ref", api),
                "StageName", "prod",
                "AutoDeploy", true,
                "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 500, "ThrottlingBurstLimit", 1000)));
    }
}
