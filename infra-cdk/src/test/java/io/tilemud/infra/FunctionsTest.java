package io.tilemud.infra;

import io.tilemud.contract.Environment;
import io.tilemud.contract.Handlers;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.tilemud.infra.TemplateIndex.properties;
import static io.tilemud.infra.TemplateIndex.refs;
import static io.tilemud.infra.TemplateIndex.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@SuppressWarnings("unchecked")
class FunctionsTest {
    private final TemplateIndex stack = SynthesizedStack.defaults();

    /** CDK's own handlers of the web client's deployment (S3 sync) and bucket teardown (empty before delete). */
    static final String[] WEB_CLIENT_CUSTOM_RESOURCES = {"Custom::CDKBucketDeployment", "Custom::S3AutoDeleteObjects"};

    @Test
    void functions_stack_holdsEveryCatalogFunctionAndOnlyCdkDeploymentHelpersBesides() {
        // GIVEN the catalog
        // WHEN counting Lambda functions in the template
        Set<String> all = stack.ofType("AWS::Lambda::Function").keySet();
        Set<String> helpers = stack.customResourceHandlers(WEB_CLIENT_CUSTOM_RESOURCES);

        // THEN there is one tagged function per catalog entry, and every other function is the handler of one of
        // the web client's custom resources (no other helper slipped in)
        assertEquals(FunctionId.values().length, stack.functions().size());
        assertEquals(2, helpers.size(), helpers.toString());
        Set<String> expected = new HashSet<>(stack.functions().values());
        expected.addAll(helpers);
        assertEquals(expected, all);
    }

    @Test
    void functions_everyFunction_isJava21Arm64WithSnapStartOnPublishedVersions() {
        // GIVEN every TileMUD function of the template
        stack.functions().forEach((id, logicalId) -> {
            var props = properties(stack.resource(logicalId));

            // THEN runtime, architecture and SnapStart are the ones SnapStart on Java needs
            assertEquals("java21", props.get("Runtime"), logicalId);
            assertEquals(List.of("arm64"), props.get("Architectures"), logicalId);
            assertEquals(Map.of("ApplyOn", "PublishedVersions"), props.get("SnapStart"), logicalId);
        });
    }

    @Test
    void functions_handlersAndJars_matchTheContract() {
        // GIVEN the handler names of the contract
        Map<FunctionId, String> handlers = Map.of(
                FunctionId.ADMISSION, Handlers.HTTP, FunctionId.SESSION_BOOTSTRAP, Handlers.HTTP,
                FunctionId.CHARACTERS, Handlers.HTTP, FunctionId.ADMIN, Handlers.HTTP, FunctionId.OPS, Handlers.HTTP,
                FunctionId.JANITOR, Handlers.JANITOR, FunctionId.WS_AUTHORIZER, Handlers.WS_AUTHORIZER,
                FunctionId.WS_CONNECT, Handlers.WS_CONNECT, FunctionId.WS_DISCONNECT, Handlers.WS_DISCONNECT,
                FunctionId.WS_INTENTS, Handlers.WS_INTENTS);

        // WHEN reading each function's handler and code
        // THEN the handler matches, and functions of the same jar share one asset
        handlers.forEach((id, handler) -> assertEquals(handler, stack.functionProperties(id).get("Handler"), id.key()));
        Set<Object> functionsJarCode = codeOf(FunctionId.ADMISSION, FunctionId.OPS, FunctionId.JANITOR);
        Set<Object> websocketJarCode = codeOf(FunctionId.WS_AUTHORIZER, FunctionId.WS_CONNECT, FunctionId.WS_INTENTS);
        assertEquals(1, functionsJarCode.size());
        assertEquals(1, websocketJarCode.size());
    }

    @Test
    void aliases_everyFunction_hasTheLiveAliasOnItsPublishedVersion() {
        // GIVEN every function
        var aliases = stack.ofType("AWS::Lambda::Alias").values().stream().map(TemplateIndex::properties).toList();

        stack.functions().forEach((id, logicalId) -> {
            // WHEN finding its alias
            var alias = single(aliases.stream().filter(a -> refs(a.get("FunctionName")).contains(logicalId))
                    .collect(Collectors.toSet()));

            // THEN it is "live" and points at a published version of that function
            assertEquals(GameLambda.ALIAS, alias.get("Name"));
            String version = single(refs(alias.get("FunctionVersion")));
            assertTrue(stack.isType(version, "AWS::Lambda::Version"));
            assertEquals(Set.of(logicalId), refs(properties(stack.resource(version)).get("FunctionName")));
        });
    }

    @Test
    void triggers_everyIntegrationAuthorizerAndRule_targetAnAliasNotTheFunction() {
        // GIVEN every API integration, authorizer and EventBridge target
        // WHEN resolving what they invoke
        // THEN it is always an alias (invokedFunction fails on an unqualified function)
        stack.ofType("AWS::ApiGatewayV2::Integration").values()
                .forEach(i -> stack.invokedFunction(properties(i).get("IntegrationUri")));
        stack.ofType("AWS::ApiGatewayV2::Authorizer").values().stream().map(TemplateIndex::properties)
                .filter(a -> "REQUEST".equals(a.get("AuthorizerType")))
                .forEach(a -> stack.invokedFunction(a.get("AuthorizerUri")));
        stack.ofType("AWS::Events::Rule").values()
                .forEach(rule -> stack.invokedFunction(properties(rule).get("Targets")));
    }

    @Test
    void environment_everyFunction_getsBuildIssuerAndTable() {
        // GIVEN every function
        stack.functions().keySet().forEach(id -> {
            // WHEN reading its environment
            var env = environment(id);

            // THEN the contract's names are set
            for (String name : List.of(Environment.BUILD, Environment.JWKS_URL, Environment.ISSUER,
                    Environment.AUDIENCE, Environment.DYNAMODB_TABLE)) {
                assertTrue(env.containsKey(name), id.key() + " lacks " + name);
            }
            assertEquals("dev", env.get(Environment.BUILD));
            assertFalse(env.containsKey(Environment.DYNAMODB_ENDPOINT), "no endpoint override in AWS");
        });
    }

    @Test
    void environment_migrate_isTrueOnlyOnTheOpsFunction() {
        // GIVEN every function holding a database connection
        stack.functions().keySet().forEach(id -> {
            // WHEN reading TILEMUD_MIGRATE
            Object migrate = environment(id).get(Environment.MIGRATE);

            // THEN only ops migrates; the other database functions say false explicitly
            if (id == FunctionId.OPS) {
                assertEquals("true", migrate);
            } else if (environment(id).containsKey(Environment.JDBC_URL)) {
                assertEquals("false", migrate, id.key());
            } else {
                assertNull(migrate, id.key());
            }
        });
    }

    @Test
    void environment_managementEndpoint_onlyOnFunctionsThatPost() {
        // GIVEN the functions that post to WebSockets
        // WHEN reading TILEMUD_WS_MANAGEMENT_ENDPOINT
        // THEN exactly those have it, as https://{api}.execute-api.{region}.{suffix}/{stage}
        stack.functions().keySet().forEach(id -> assertEquals(IamTest.POSTING.contains(id),
                environment(id).containsKey(Environment.WS_MANAGEMENT_ENDPOINT), id.key()));
        String endpoint = environment(FunctionId.WS_INTENTS).get(Environment.WS_MANAGEMENT_ENDPOINT).toString();
        assertTrue(endpoint.contains("https://") && endpoint.contains(".execute-api.") && endpoint.contains("/prod"),
                endpoint);
    }

    @Test
    void environment_dataEndpoints_useTlsAndNeverCarrySecretValues() {
        // GIVEN the admission function (cache + database)
        var env = environment(FunctionId.ADMISSION);

        // WHEN reading its data endpoints
        // THEN Redis is rediss://, JDBC requires TLS, and the secrets travel as ARNs, not values
        assertTrue(env.get(Environment.REDIS_URL).toString().contains("rediss://"));
        assertTrue(env.get(Environment.JDBC_URL).toString().contains("sslmode=require"));
        assertEquals(ContractAdditions.DATABASE_USER, env.get(Environment.DB_USERNAME));
        assertFalse(env.containsKey(Environment.DB_PASSWORD));
        assertTrue(env.containsKey(ContractAdditions.DB_SECRET_ARN_ENV));
        assertTrue(env.containsKey(ContractAdditions.REDIS_AUTH_SECRET_ARN_ENV));
        stack.functions().keySet().forEach(id ->
                assertFalse(environment(id).toString().contains("{{resolve:"), id.key() + " has a resolved secret"));
        assertFalse(environment(FunctionId.WS_AUTHORIZER).containsKey(Environment.REDIS_URL));
    }

    @Test
    void environment_roomInviteKey_onlyOnTheRoomsFunction_asASecretArnNeverAValue() {
        // GIVEN every function
        stack.functions().keySet().forEach(id -> {
            // WHEN reading its environment
            var env = environment(id);
            // THEN only the function serving the rooms routes names the invite key's secret, and none holds a key
            assertEquals(id == FunctionId.CHARACTERS, env.containsKey(Environment.ROOMS_INVITE_SECRET_ARN), id.key());
            assertFalse(env.containsKey(Environment.ROOMS_INVITE_KEY), id.key());
        });
        // AND the rooms routes are served by that function
        HttpRoutes.ALL.stream().filter(r -> r.path().startsWith("/rooms"))
                .forEach(r -> assertEquals(FunctionId.CHARACTERS, r.target(), r.path()));
    }

    @Test
    void logGroups_everyFunction_hasItsOwnRetainedForThirtyDays() {
        // GIVEN every function
        stack.functions().keySet().forEach(id -> {
            // WHEN following its logging configuration
            var logging = (Map<String, Object>) stack.functionProperties(id).get("LoggingConfig");
            String logGroup = single(refs(logging.get("LogGroup")));

            // THEN a dedicated log group keeps 30 days
            assertEquals(30, ((Number) properties(stack.resource(logGroup)).get("RetentionInDays")).intValue());
        });
    }

    @Test
    void reservedConcurrency_databaseFunctions_areCappedAndJanitorIsSingle() {
        // GIVEN the default dbReservedConcurrency of 10
        // WHEN reading reserved concurrency
        // THEN database-bound functions are capped, the janitor never overlaps, health and authorizer are free
        for (FunctionId id : List.of(FunctionId.ADMISSION, FunctionId.SESSION_BOOTSTRAP, FunctionId.CHARACTERS,
                FunctionId.ADMIN, FunctionId.WS_CONNECT, FunctionId.WS_DISCONNECT, FunctionId.WS_INTENTS)) {
            assertEquals(10, ((Number) stack.functionProperties(id).get("ReservedConcurrentExecutions")).intValue(),
                    id.key());
        }
        assertEquals(1, ((Number) stack.functionProperties(FunctionId.JANITOR).get("ReservedConcurrentExecutions"))
                .intValue());
        assertNull(stack.functionProperties(FunctionId.OPS).get("ReservedConcurrentExecutions"));
        assertNull(stack.functionProperties(FunctionId.WS_AUTHORIZER).get("ReservedConcurrentExecutions"));
    }

    @Test
    void versions_databaseFunctions_arePublishedAfterTheMigratingFunction() {
        // GIVEN the migrating function's published version
        String opsVersion = versionOf(FunctionId.OPS);

        // WHEN reading the other database functions' version dependencies
        // THEN each waits for it, so SnapStart never snapshots against an older schema
        stack.functions().keySet().stream()
                .filter(id -> id != FunctionId.OPS && environment(id).containsKey(Environment.JDBC_URL))
                .forEach(id -> {
                    var dependsOn = (List<String>) stack.resource(versionOf(id)).getOrDefault("DependsOn", List.of());
                    assertTrue(dependsOn.contains(opsVersion), id.key() + " version does not wait for migration");
                });
    }

    private Map<String, Object> environment(FunctionId id) {
        var environment = (Map<String, Object>) stack.functionProperties(id).get("Environment");
        return (Map<String, Object>) environment.get("Variables");
    }

    private String versionOf(FunctionId id) {
        String function = stack.functions().get(id);
        return single(stack.ofType("AWS::Lambda::Version").entrySet().stream()
                .filter(e -> refs(properties(e.getValue()).get("FunctionName")).contains(function))
                .map(Map.Entry::getKey).collect(Collectors.toSet()));
    }

    private Set<Object> codeOf(FunctionId... ids) {
        return Arrays.stream(ids).map(id -> stack.functionProperties(id).get("Code")).collect(Collectors.toSet());
    }
}
