package io.tilemud.connection;

import io.tilemud.contract.ConnectionsTable;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ConnectionRegistry} on the DynamoDB table described by {@link ConnectionsTable}. */
@Singleton
public class DynamoConnectionRegistry implements ConnectionRegistry {
    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoConnectionRegistry(DynamoDbClient dynamoDb, DynamoDbSettings settings) {
        this.dynamoDb = dynamoDb;
        this.table = settings.connectionsTable();
    }

    @Override
    public void register(ConnectionRecord c) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ConnectionsTable.CONNECTION_ID, s(c.connectionId()));
        item.put(ConnectionsTable.SESSION_ID, s(c.sessionId()));
        item.put(ConnectionsTable.USER_ID, s(c.userId()));
        item.put(ConnectionsTable.CHARACTER_ID, s(c.characterId()));
        item.put(ConnectionsTable.INSTANCE_ID, s(c.instanceId()));
        item.put(ConnectionsTable.BUILD, s(c.build()));
        item.put(ConnectionsTable.CONNECTED_AT, n(c.connectedAt().toEpochMilli()));
        item.put(ConnectionsTable.LAST_ACTIVE_AT, n(c.lastActiveAt().toEpochMilli()));
        if (c.graceSince() != null) {
            item.put(ConnectionsTable.GRACE_SINCE, n(c.graceSince().toEpochMilli()));
        }
        if (c.lastSeq() != null) {
            item.put(ConnectionsTable.LAST_SEQ, n(c.lastSeq()));
        }
        if (c.degradedSince() != null) {
            item.put(ConnectionsTable.DEGRADED_SINCE, n(c.degradedSince().toEpochMilli()));
        }
        item.put(ConnectionsTable.EXPIRES_AT, n(c.expiresAt().getEpochSecond()));
        dynamoDb.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public void touch(String connectionId, Instant at) {
        update(connectionId, "SET #a = :v", ConnectionsTable.LAST_ACTIVE_AT, n(at.toEpochMilli()));
    }

    @Override
    public void markDegraded(String connectionId, @Nullable Instant since) {
        if (since == null) {
            update(connectionId, "REMOVE #a", ConnectionsTable.DEGRADED_SINCE, null);
        } else {
            update(connectionId, "SET #a = :v", ConnectionsTable.DEGRADED_SINCE, n(since.toEpochMilli()));
        }
    }

    /** Updates one attribute of a connection that still exists: a late update must not resurrect a removed item. */
    private void update(String connectionId, String expression, String attribute, @Nullable AttributeValue value) {
        try {
            dynamoDb.updateItem(b -> {
                b.tableName(table).key(Map.of(ConnectionsTable.CONNECTION_ID, s(connectionId)))
                        .updateExpression(expression)
                        .conditionExpression("attribute_exists(#id)")
                        .expressionAttributeNames(Map.of("#a", attribute, "#id", ConnectionsTable.CONNECTION_ID));
                if (value != null) {
                    b.expressionAttributeValues(Map.of(":v", value));
                }
            });
        } catch (ConditionalCheckFailedException gone) {
            // The connection closed meanwhile; there is nothing left to update.
        }
    }

    @Override
    public Optional<ConnectionRecord> find(String connectionId) {
        var item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(ConnectionsTable.CONNECTION_ID, s(connectionId)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public Optional<ConnectionRecord> findBySession(String sessionId) {
        return query(ConnectionsTable.BY_SESSION_INDEX, ConnectionsTable.SESSION_ID, sessionId).stream()
                .max(java.util.Comparator.comparing(ConnectionRecord::connectedAt));
    }

    @Override
    public List<ConnectionRecord> findByInstance(String instanceId) {
        return query(ConnectionsTable.BY_INSTANCE_INDEX, ConnectionsTable.INSTANCE_ID, instanceId);
    }

    @Override
    public Optional<ConnectionRecord> remove(String connectionId) {
        var old = dynamoDb.deleteItem(b -> b.tableName(table).returnValues(ReturnValue.ALL_OLD)
                .key(Map.of(ConnectionsTable.CONNECTION_ID, s(connectionId)))).attributes();
        return old == null || old.isEmpty() ? Optional.empty() : Optional.of(fromItem(old));
    }

    /**
     * Every connection, read with a strongly consistent scan of the table (not an index: a GSI lags its table, and a
     * ledger rebuild that missed a just-registered socket would let its character in twice). For the rare ledger
     * rebuild only (issue 11): its cost grows with the number of live connections.
     */
    public List<ConnectionRecord> all() {
        List<ConnectionRecord> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            var page = dynamoDb.scan(b -> b.tableName(table).consistentRead(true).exclusiveStartKey(exclusiveStart));
            page.items().forEach(item -> found.add(fromItem(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return found;
    }

    private List<ConnectionRecord> query(String index, String key, String value) {
        List<ConnectionRecord> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse page = dynamoDb.query(b -> b.tableName(table).indexName(index)
                    .keyConditionExpression("#k = :v")
                    .expressionAttributeNames(Map.of("#k", key))
                    .expressionAttributeValues(Map.of(":v", s(value)))
                    .exclusiveStartKey(exclusiveStart));
            page.items().forEach(item -> found.add(fromItem(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return found;
    }

    private static ConnectionRecord fromItem(Map<String, AttributeValue> item) {
        return new ConnectionRecord(
                item.get(ConnectionsTable.CONNECTION_ID).s(),
                item.get(ConnectionsTable.SESSION_ID).s(),
                item.get(ConnectionsTable.USER_ID).s(),
                item.get(ConnectionsTable.CHARACTER_ID).s(),
                item.get(ConnectionsTable.INSTANCE_ID).s(),
                item.get(ConnectionsTable.BUILD).s(),
                millis(item, ConnectionsTable.CONNECTED_AT),
                // Items written before lastActiveAt existed count as active since they connected.
                Optional.ofNullable(millis(item, ConnectionsTable.LAST_ACTIVE_AT))
                        .orElseGet(() -> millis(item, ConnectionsTable.CONNECTED_AT)),
                millis(item, ConnectionsTable.GRACE_SINCE),
                item.containsKey(ConnectionsTable.LAST_SEQ) ? Long.valueOf(item.get(ConnectionsTable.LAST_SEQ).n()) : null,
                millis(item, ConnectionsTable.DEGRADED_SINCE),
                Instant.ofEpochSecond(Long.parseLong(item.get(ConnectionsTable.EXPIRES_AT).n())));
    }

    @Nullable
    private static Instant millis(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null ? null : Instant.ofEpochMilli(Long.parseLong(value.n()));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
