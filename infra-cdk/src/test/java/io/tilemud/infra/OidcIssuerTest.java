package io.tilemud.infra;

import io.tilemud.contract.Environment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static io.tilemud.infra.TemplateIndex.properties;
import static io.tilemud.infra.TemplateIndex.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@SuppressWarnings("unchecked")
class OidcIssuerTest {
    private static final String ISSUER = "https://auth.example.com/realms/tilemud";
    private static final String AUDIENCE = "tilemud-game";
    private static final String AUTHORIZE = ISSUER + "/protocol/openid-connect/auth";
    private static final String TOKEN = ISSUER + "/protocol/openid-connect/token";

    private TemplateIndex stack;

    @BeforeAll
    void synthesizeWithExternalIssuer() {
        // GIVEN an external OIDC issuer in context (one extra synthesis for this class)
        stack = SynthesizedStack.withContext(Map.of("oidcIssuer", ISSUER + "/", "oidcAudience", AUDIENCE,
                "oidcAuthorizationEndpoint", AUTHORIZE, "oidcTokenEndpoint", TOKEN));
    }

    @Test
    void identity_externalIssuer_createsNoCognitoResources() {
        // WHEN the stack is synthesized
        // THEN no user pool, client, group or hosted UI domain exists, nor their outputs
        stack.template().resourceCountIs("AWS::Cognito::UserPool", 0);
        stack.template().resourceCountIs("AWS::Cognito::UserPoolDomain", 0);
        stack.template().resourceCountIs("AWS::Cognito::UserPoolClient", 0);
        stack.template().resourceCountIs("AWS::Cognito::UserPoolGroup", 0);
        assertFalse(stack.outputs().containsKey("UserPoolId"));
    }

    @Test
    void jwtAuthorizer_externalIssuer_trustsIt() {
        // WHEN reading the HTTP API's JWT authorizer
        var authorizer = properties(single(new HashSet<>(stack.ofType("AWS::ApiGatewayV2::Authorizer").values()
                .stream().filter(a -> "JWT".equals(properties(a).get("AuthorizerType"))).toList())));

        // THEN issuer (without trailing slash) and audience are the configured ones
        assertEquals(Map.of("Issuer", ISSUER, "Audience", List.of(AUDIENCE)), authorizer.get("JwtConfiguration"));
    }

    @Test
    void configJson_externalIssuer_sendsTheBrowserToItsEndpoints() throws java.io.IOException {
        // WHEN reading the web client's config.json
        Map<String, Object> config = WebClientTest.configJson(stack);

        // THEN login goes to the external issuer with its client (the audience by default) and scope
        assertEquals("oidc", config.get("mode"));
        assertEquals(ISSUER, config.get("issuer"));
        assertEquals(AUTHORIZE, config.get("authorizationEndpoint"));
        assertEquals(TOKEN, config.get("tokenEndpoint"));
        assertEquals(AUDIENCE, config.get("clientId"));
        assertEquals("openid", config.get("scope"));
        assertTrue(config.get("redirectUri").toString().contains("/play/"));
    }

    @Test
    void environment_externalIssuer_pointsFunctionsAtItsJwks() {
        // WHEN reading a function's token settings
        var env = (Map<String, Object>) ((Map<String, Object>) stack.functionProperties(FunctionId.WS_AUTHORIZER)
                .get("Environment")).get("Variables");

        // THEN they name the external issuer and its well-known JWKS
        assertEquals(ISSUER, env.get(Environment.ISSUER));
        assertEquals(AUDIENCE, env.get(Environment.AUDIENCE));
        assertEquals(ISSUER + "/.well-known/jwks.json", env.get(Environment.JWKS_URL));
    }
}
