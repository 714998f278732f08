package io.tilemud.infra;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.tilemud.infra.TemplateIndex.actions;
import static io.tilemud.infra.TemplateIndex.properties;
import static io.tilemud.infra.TemplateIndex.refs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IamTest {
    /** The functions that post to or close WebSockets (the brief's list, stated independently of the catalog). */
    static final Set<FunctionId> POSTING = EnumSet.of(FunctionId.ADMISSION, FunctionId.WS_CONNECT,
            FunctionId.WS_DISCONNECT, FunctionId.WS_INTENTS, FunctionId.JANITOR,
            // room events go to the members' game sockets (ROOM-02); rooms routes live on the characters function
            FunctionId.CHARACTERS);

    private final TemplateIndex stack = SynthesizedStack.defaults();

    @Test
    void policies_everyFunctionStatement_namesExplicitActions() {
        // GIVEN every IAM statement of the TileMUD functions' roles
        List<Map<String, Object>> statements = stack.statementsByFunction().values().stream()
                .flatMap(List::stream).toList();

        // WHEN reading their actions
        // THEN none is a wildcard: no "*", no "service:*" (in particular no "dynamodb:*")
        assertFalse(statements.isEmpty());
        statements.forEach(statement -> actions(statement).forEach(action -> {
            assertFalse(action.equals("*") || action.endsWith(":*"), "wildcard action " + action);
            assertFalse(action.contains("*"), "wildcard action " + action);
        }));
    }

    @Test
    void policies_everyOtherStatement_isCdksWebClientDeploymentScopedToItsBuckets() {
        // GIVEN every IAM policy and inline role policy that is not a TileMUD function's
        Set<String> functionRoles = stack.functions().values().stream()
                .map(logicalId -> TemplateIndex.single(refs(properties(stack.resource(logicalId)).get("Role"))))
                .collect(Collectors.toSet());
        List<Map<String, Object>> others = new ArrayList<>();
        stack.ofType("AWS::IAM::Policy").values().stream().map(TemplateIndex::properties)
                .filter(p -> !functionRoles.containsAll(refs(p.get("Roles"))))
                .forEach(p -> others.addAll(TemplateIndex.statements(p)));
        stack.ofType("AWS::IAM::Role").forEach((logicalId, role) -> {
            @SuppressWarnings("unchecked")
            var inline = (List<Map<String, Object>>) properties(role).getOrDefault("Policies", List.of());
            inline.forEach(policy -> others.addAll(TemplateIndex.statements(policy)));
        });
        String webBucket = TemplateIndex.single(stack.ofType("AWS::S3::Bucket").keySet());

        // WHEN reading them
        // THEN they are the bucket deployment's (CDK writes s3 grants with wildcards such as s3:GetObject*): S3 only
        // on the web client bucket or the CDK asset bucket, and CloudFront invalidation, nothing else
        assertFalse(others.isEmpty());
        others.forEach(statement -> {
            List<String> actions = actions(statement);
            if (actions.stream().allMatch(a -> a.startsWith("s3:"))) {
                String resource = statement.get("Resource").toString();
                assertTrue(refs(statement.get("Resource")).equals(Set.of(webBucket))
                        || resource.contains("cdk-hnb659fds-assets-"), "S3 outside the web client's buckets: " + resource);
            } else {
                assertEquals(Set.of("cloudfront:GetInvalidation", "cloudfront:CreateInvalidation"),
                        Set.copyOf(actions), statement.toString());
            }
        });
    }

    @Test
    void manageConnections_grantedOnlyToFunctionsThatPost() {
        // GIVEN every function's statements
        var byFunction = stack.statementsByFunction();

        // WHEN looking for execute-api:ManageConnections
        Set<FunctionId> granted = byFunction.entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(s -> actions(s).contains("execute-api:ManageConnections")))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(() -> EnumSet.noneOf(FunctionId.class)));

        // THEN exactly connect, disconnect, intents, janitor and admission (replace-kick) have it
        assertEquals(POSTING, granted);
        // ...and no other policy anywhere grants it
        long total = stack.ofType("AWS::IAM::Policy").values().stream()
                .flatMap(p -> TemplateIndex.statements(properties(p)).stream())
                .filter(s -> actions(s).contains("execute-api:ManageConnections")).count();
        assertEquals(POSTING.size(), total);
    }

    @Test
    void dynamodb_eachFunction_getsExactlyItsCatalogActionsOnTableAndIndexes() {
        // GIVEN the connection registry table
        String table = TemplateIndex.single(stack.ofType("AWS::DynamoDB::Table").keySet());
        var byFunction = stack.statementsByFunction();

        for (FunctionSpec spec : FunctionCatalog.all()) {
            // WHEN collecting the function's dynamodb actions
            var statements = byFunction.getOrDefault(spec.id(), List.of()).stream()
                    .filter(s -> actions(s).stream().anyMatch(a -> a.startsWith("dynamodb:"))).toList();
            Set<String> actions = statements.stream().flatMap(s -> actions(s).stream())
                    .collect(Collectors.toCollection(TreeSet::new));

            // THEN they are exactly the catalog's, scoped to the table (and its indexes) only
            assertEquals(new TreeSet<>(spec.tableActions()), actions, spec.id().key());
            statements.forEach(s -> {
                assertEquals(Set.of(table), refs(s.get("Resource")), spec.id().key());
                assertFalse(s.get("Resource").toString().equals("*"));
            });
        }
    }

    @Test
    void secrets_readOnlyByFunctionsThatUseTheStore() {
        // GIVEN the cache AUTH token and the database credentials secrets
        String cacheSecret = TemplateIndex.single(refs(properties(TemplateIndex.single(new HashSet<>(
                stack.ofType("AWS::ElastiCache::ReplicationGroup").values()))).get("AuthToken")));
        String dbSecret = TemplateIndex.single(stack.ofType("AWS::SecretsManager::SecretTargetAttachment").keySet());
        String inviteSecret = TemplateIndex.single(stack.ofType("AWS::SecretsManager::Secret").entrySet().stream()
                .filter(e -> String.valueOf(properties(e.getValue()).get("Description")).contains("room invite"))
                .map(Map.Entry::getKey).collect(Collectors.toSet()));
        var byFunction = stack.statementsByFunction();

        for (FunctionSpec spec : FunctionCatalog.all()) {
            // WHEN collecting which secrets the function may read
            Set<String> readable = byFunction.getOrDefault(spec.id(), List.of()).stream()
                    .filter(s -> actions(s).contains("secretsmanager:GetSecretValue"))
                    .flatMap(s -> refs(s.get("Resource")).stream()).collect(Collectors.toSet());

            // THEN exactly the secrets of the stores it needs
            Set<String> expected = new HashSet<>();
            if (spec.needs(FunctionSpec.Need.CACHE)) {
                expected.add(cacheSecret);
            }
            if (spec.needs(FunctionSpec.Need.DATABASE)) {
                expected.add(dbSecret);
            }
            if (spec.needs(FunctionSpec.Need.ROOM_INVITES)) {
                expected.add(inviteSecret);
            }
            assertEquals(expected, readable, spec.id().key());
        }
        assertTrue(byFunction.getOrDefault(FunctionId.WS_AUTHORIZER, List.of()).stream()
                .noneMatch(s -> actions(s).stream().anyMatch(a -> a.startsWith("secretsmanager:"))));
        // AND the function that serves the rooms routes is the one reading the invite key
        assertTrue(byFunction.get(FunctionId.CHARACTERS).stream()
                .filter(s -> actions(s).contains("secretsmanager:GetSecretValue"))
                .anyMatch(s -> refs(s.get("Resource")).contains(inviteSecret)));
    }

    @Test
    void putMetricData_isFencedToTheTileMudNamespace() {
        // GIVEN every statement allowing cloudwatch:PutMetricData
        var statements = stack.statementsByFunction().values().stream().flatMap(List::stream)
                .filter(s -> actions(s).contains("cloudwatch:PutMetricData")).toList();

        // WHEN reading their conditions
        // THEN each is limited to the TileMUD namespace (the action has no resource-level ARNs)
        assertEquals(FunctionId.values().length, statements.size());
        statements.forEach(s -> assertEquals(
                Map.of("StringEquals", Map.of("cloudwatch:namespace", io.tilemud.contract.MetricNames.NAMESPACE)),
                s.get("Condition")));
    }
}
