package io.tilemud.connection;

import io.tilemud.contract.ConnectionsTable;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.time.Instant;
import java.util.ArrayList;
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
        dynamoDb.putItem(b -> b.tableName(table).item(Map.of(
                ConnectionsTable.CONNECTION_ID, s(c.connectionId()),
                ConnectionsTable.SESSION_ID, s(c.sessionId()),
                ConnectionsTable.USER_ID, s(c.userId()),
                ConnectionsTable.CHARACTER_ID, s(c.characterId()),
                ConnectionsTable.INSTANCE_ID, s(c.instanceId()),
                ConnectionsTable.BUILD, s(c.build()),
                ConnectionsTable.CONNECTED_AT, n(c.connectedAt().toEpochMilli()),
                ConnectionsTable.EXPIRES_AT, n(c.expiresAt().getEpochSecond()))));
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
                Instant.ofEpochMilli(Long.parseLong(item.get(ConnectionsTable.CONNECTED_AT).n())),
                Instant.ofEpochSecond(Long.parseLong(item.get(ConnectionsTable.EXPIRES_AT).n())));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
