package io.tilemud.infra;

import io.tilemud.contract.ConnectionsTable;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

import java.util.ArrayList;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

@SuppressWarnings("unchecked")
class DataTest {
    private final TemplateIndex stack = SynthesizedStack.defaults();

    @Test
    void cache_replicationGroup_isMultiAzWithFailoverTlsAndAuth() {
        // GIVEN the default settings
        // WHEN the stack is synthesized
        var groups = stack.ofType("AWS::ElastiCache::ReplicationGroup");

        // THEN one Multi-AZ group with a replica, automatic failover, TLS required and encryption at rest
        assertEquals(1, groups.size());
        stack.template().hasResourceProperties("AWS::ElastiCache::ReplicationGroup", Map.of(
                "Engine", "valkey",
                "NumCacheClusters", 2,
                "MultiAZEnabled", true,
                "AutomaticFailoverEnabled", true,
                "TransitEncryptionEnabled", true,
                "TransitEncryptionMode", "required",
                "AtRestEncryptionEnabled", true));
    }

    @Test
    void cache_authToken_comesFromItsSecretsManagerSecret() {
        // GIVEN the replication group
        var props = properties(single(new HashSet<>(stack.ofType("AWS::ElastiCache::ReplicationGroup").values())));

        // WHEN reading its AuthToken
        Object authToken = props.get("AuthToken");

        // THEN it is a CloudFormation dynamic reference to a generated secret, never a literal
        assertTrue(authToken.toString().contains("{{resolve:secretsmanager:"), authToken.toString());
        String secret = single(refs(authToken));
        assertTrue(stack.isType(secret, "AWS::SecretsManager::Secret"));
        assertTrue(properties(stack.resource(secret)).containsKey("GenerateSecretString"));
    }

    @Test
    void cache_securityGroup_admitsOnlyTheFunctionsOnTheRedisPort() {
        // GIVEN the cache's security group
        var props = properties(single(new HashSet<>(stack.ofType("AWS::ElastiCache::ReplicationGroup").values())));
        String group = single(refs(props.get("SecurityGroupIds")));

        // WHEN reading its ingress rules
        // THEN only the functions' security group may connect, on 6379
        assertOnlyFunctionsIngress(group, Cache.PORT);
    }

    @Test
    void database_instance_isPostgres16WithGeneratedSecret() {
        // GIVEN the default settings
        // WHEN the stack is synthesized
        // THEN PostgreSQL 16, private, encrypted, credentials from a generated secret, snapshot on delete
        stack.template().hasResource("AWS::RDS::DBInstance", Map.of(
                "Properties", Match.objectLike(Map.of(
                        "Engine", "postgres",
                        "EngineVersion", Match.stringLikeRegexp("^16(\\..*)?$"),
                        "PubliclyAccessible", false,
                        "StorageEncrypted", true,
                        "DBName", ContractAdditions.DATABASE_NAME,
                        "MasterUsername", ContractAdditions.DATABASE_USER)),
                "DeletionPolicy", "Snapshot"));
        var db = properties(single(new HashSet<>(stack.ofType("AWS::RDS::DBInstance").values())));
        assertTrue(db.get("MasterUserPassword").toString().contains("{{resolve:secretsmanager:"));
        stack.template().resourceCountIs("AWS::SecretsManager::SecretTargetAttachment", 1);
    }

    @Test
    void database_securityGroup_admitsOnlyTheFunctionsOnThePostgresPort() {
        // GIVEN the database's security group
        var db = properties(single(new HashSet<>(stack.ofType("AWS::RDS::DBInstance").values())));
        String group = single(refs(db.get("VPCSecurityGroups")));

        // WHEN reading its ingress rules
        // THEN only the functions' security group may connect, on 5432
        assertOnlyFunctionsIngress(group, Database.PORT);
    }

    @Test
    void connectionsTable_registry_isOnDemandWithTtlKeyAndIndexesFromTheContract() {
        // GIVEN the names in ConnectionsTable
        // WHEN the stack is synthesized
        // THEN the table matches them exactly
        stack.template().hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "TableName", ConnectionsTable.DEFAULT_TABLE_NAME,
                "BillingMode", "PAY_PER_REQUEST",
                "KeySchema", List.of(hashKey(ConnectionsTable.CONNECTION_ID)),
                "TimeToLiveSpecification", Map.of("AttributeName", ConnectionsTable.EXPIRES_AT, "Enabled", true),
                "GlobalSecondaryIndexes", List.of(
                        Map.of("IndexName", ConnectionsTable.BY_SESSION_INDEX,
                                "KeySchema", List.of(hashKey(ConnectionsTable.SESSION_ID)),
                                "Projection", Map.of("ProjectionType", "ALL")),
                        Map.of("IndexName", ConnectionsTable.BY_INSTANCE_INDEX,
                                "KeySchema", List.of(hashKey(ConnectionsTable.INSTANCE_ID)),
                                "Projection", Map.of("ProjectionType", "ALL")))));
        var table = properties(single(new HashSet<>(stack.ofType("AWS::DynamoDB::Table").values())));
        assertFalse(table.containsKey("ProvisionedThroughput"));
    }

    private void assertOnlyFunctionsIngress(String securityGroup, int port) {
        String functionsGroup = single(stack.functions().values().stream()
                .map(id -> (Map<String, Object>) properties(stack.resource(id)).get("VpcConfig"))
                .map(vpc -> single(refs(vpc.get("SecurityGroupIds"))))
                .collect(Collectors.toSet()));
        var groupProperties = properties(stack.resource(securityGroup));
        List<Map<String, Object>> rules = new ArrayList<>(
                (List<Map<String, Object>>) groupProperties.getOrDefault("SecurityGroupIngress", List.of()));
        stack.ofType("AWS::EC2::SecurityGroupIngress").values().stream().map(TemplateIndex::properties)
                .filter(rule -> refs(rule.get("GroupId")).contains(securityGroup)).forEach(rules::add);
        assertEquals(1, rules.size(), "ingress rules of " + securityGroup);
        var rule = rules.getFirst();
        assertEquals(Set.of(functionsGroup), refs(rule.get("SourceSecurityGroupId")));
        assertEquals(port, ((Number) rule.get("FromPort")).intValue());
        assertEquals(port, ((Number) rule.get("ToPort")).intValue());
        assertFalse(rule.containsKey("CidrIp"));
    }

    private static Map<String, Object> hashKey(String attribute) {
        return Map.of("AttributeName", attribute, "KeyType", "HASH");
    }
}
