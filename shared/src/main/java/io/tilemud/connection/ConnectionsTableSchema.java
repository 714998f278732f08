package io.tilemud.connection;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.tilemud.contract.ConnectionsTable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Creates the connection registry table where nothing else does (local stack, tests), from the same
 * {@link ConnectionsTable} names the CDK stack uses. In AWS {@code tilemud.dynamodb.create-table} is false.
 */
@Singleton
public class ConnectionsTableSchema implements ApplicationEventListener<StartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionsTableSchema.class);

    private final DynamoDbClient dynamoDb;
    private final DynamoDbSettings settings;

    public ConnectionsTableSchema(DynamoDbClient dynamoDb, DynamoDbSettings settings) {
        this.dynamoDb = dynamoDb;
        this.settings = settings;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (settings.createTable()) {
            createIfMissing();
        }
    }

    public void createIfMissing() {
        String table = settings.connectionsTable();
        try {
            dynamoDb.describeTable(b -> b.tableName(table));
            return;
        } catch (ResourceNotFoundException missing) {
            LOG.info("creating DynamoDB table {}", table);
        }
        try {
            dynamoDb.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            attribute(ConnectionsTable.CONNECTION_ID),
                            attribute(ConnectionsTable.SESSION_ID),
                            attribute(ConnectionsTable.INSTANCE_ID))
                    .keySchema(hashKey(ConnectionsTable.CONNECTION_ID))
                    .globalSecondaryIndexes(
                            index(ConnectionsTable.BY_SESSION_INDEX, ConnectionsTable.SESSION_ID),
                            index(ConnectionsTable.BY_INSTANCE_INDEX, ConnectionsTable.INSTANCE_ID)));
            dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
            dynamoDb.updateTimeToLive(b -> b.tableName(table)
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName(ConnectionsTable.EXPIRES_AT)));
        } catch (ResourceInUseException createdConcurrently) {
            // another process sharing this DynamoDB Local won the race: same table, nothing to do
        }
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement hashKey(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    private static GlobalSecondaryIndex index(String name, String key) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(hashKey(key))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build();
    }
}
