package io.tilemud.infra;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.tilemud.infra.TemplateIndex.properties;
import static io.tilemud.infra.TemplateIndex.refs;
import static io.tilemud.infra.TemplateIndex.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@SuppressWarnings("unchecked")
class HttpApiTest {
    private final TemplateIndex stack = SynthesizedStack.defaults();
    private final String api = stack.apiLogicalId("HTTP");

    @Test
    void routes_eachRouteKey_invokesItsFunctionThroughTheAlias() {
        // GIVEN the expected route table
        Map<String, FunctionId> expected = new LinkedHashMap<>();
        expected.put("POST /instances/{instanceId}/connect", FunctionId.ADMISSION);
        expected.put("GET /instances/{instanceId}/queue/status", FunctionId.ADMISSION);
        expected.put("DELETE /instances/{instanceId}/queue", FunctionId.ADMISSION);
        expected.put("GET /instances", FunctionId.ADMISSION);
        expected.put("DELETE /sessions/{sessionId}", FunctionId.ADMISSION);
        expected.put("POST /session/bootstrap", FunctionId.SESSION_BOOTSTRAP);
        expected.put("POST /characters", FunctionId.CHARACTERS);
        expected.put("GET /characters", FunctionId.CHARACTERS);
        expected.put("PUT /me/active-character", FunctionId.CHARACTERS);
        expected.put("POST /rooms", FunctionId.CHARACTERS);
        expected.put("POST /rooms/join", FunctionId.CHARACTERS);
        expected.put("POST /rooms/{roomId}/invites", FunctionId.CHARACTERS);
        expected.put("GET /rooms/{roomId}", FunctionId.CHARACTERS);
        expected.put("DELETE /rooms/{roomId}/members/me", FunctionId.CHARACTERS);
        expected.put("DELETE /rooms/{roomId}", FunctionId.CHARACTERS);
        expected.put("POST /me/discord", FunctionId.CHARACTERS);
        expected.put("GET /me/discord", FunctionId.CHARACTERS);
        expected.put("DELETE /me/discord", FunctionId.CHARACTERS);
        expected.put("ANY /admin/{proxy+}", FunctionId.ADMIN);
        expected.put("GET /health", FunctionId.OPS);
        expected.put("GET /version", FunctionId.OPS);

        // WHEN following every route → integration → alias → function in the template
        Map<String, FunctionId> actual = stack.routeTargets(api);

        // THEN the map is exactly the expected one
        assertEquals(expected, actual);
    }

    @Test
    void authorizer_everyRouteButHealthAndVersion_requiresTheJwt() {
        // GIVEN the single JWT authorizer of the HTTP API
        String authorizer = single(stack.ofType("AWS::ApiGatewayV2::Authorizer").entrySet().stream()
                .filter(e -> "JWT".equals(properties(e.getValue()).get("AuthorizerType")))
                .map(Map.Entry::getKey).collect(Collectors.toSet()));

        // WHEN reading each route's authorization
        stack.routes(api).forEach((routeKey, route) -> {
            boolean open = routeKey.equals("GET /health") || routeKey.equals("GET /version");

            // THEN public routes have none, all others use the JWT authorizer
            if (open) {
                assertEquals("NONE", route.get("AuthorizationType"), routeKey);
                assertTrue(!route.containsKey("AuthorizerId"), routeKey);
            } else {
                assertEquals("JWT", route.get("AuthorizationType"), routeKey);
                assertEquals(Set.of(authorizer), refs(route.get("AuthorizerId")), routeKey);
            }
        });
    }

    @Test
    void jwtAuthorizer_defaults_trustsTheCognitoPoolAndAppClient() {
        // GIVEN the default settings (no oidcIssuer)
        var authorizer = properties(single(new HashSet<>(stack.ofType("AWS::ApiGatewayV2::Authorizer").values()
                .stream().filter(a -> "JWT".equals(properties(a).get("AuthorizerType"))).toList())));

        // WHEN reading its JWT configuration
        var jwt = (Map<String, Object>) authorizer.get("JwtConfiguration");

        // THEN the issuer is the pool's https URL and the audience its app client
        assertEquals(List.of("$request.header.Authorization"), authorizer.get("IdentitySource"));
        String pool = single(stack.ofType("AWS::Cognito::UserPool").keySet());
        String client = single(stack.ofType("AWS::Cognito::UserPoolClient").keySet());
        assertEquals(Set.of(pool), refs(jwt.get("Issuer")));
        assertTrue(jwt.get("Issuer").toString().contains("https://cognito-idp."), jwt.get("Issuer").toString());
        assertEquals(Set.of(client), refs(jwt.get("Audience")));
    }

    @Test
    void integrations_httpApi_usePayloadVersion2() {
        // GIVEN the integrations of the HTTP API
        var integrations = stack.ofType("AWS::ApiGatewayV2::Integration").values().stream()
                .map(TemplateIndex::properties)
                .filter(p -> refs(p.get("ApiId")).contains(api)).toList();

        // WHEN reading their payload format
        // THEN every one is a Lambda proxy with payload 2.0
        assertEquals(5, integrations.size());
        integrations.forEach(p -> {
            assertEquals("AWS_PROXY", p.get("IntegrationType"));
            assertEquals("2.0", p.get("PayloadFormatVersion"));
        });
    }

    @Test
    void stage_default_autoDeploysWithThrottling() {
        // GIVEN the default settings
        // WHEN the stack is synthesized
        // THEN the $default stage throttles at the configured rate and burst
        stack.template().hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "StageName", "$default",
                "AutoDeploy", true,
                "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 100, "ThrottlingBurstLimit", 200)));
    }

    @Test
    void userPool_defaults_hasTheAdminGroup() {
        // GIVEN the default settings
        // WHEN the stack is synthesized
        // THEN the pool has the group whose members may use the admin API
        stack.template().hasResourceProperties("AWS::Cognito::UserPoolGroup",
                Map.of("GroupName", ContractAdditions.ADMIN_GROUP));
    }
}
