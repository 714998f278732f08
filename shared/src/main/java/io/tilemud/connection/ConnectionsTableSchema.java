package io.tilemud.connection;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.github.resilience4j.retry.Retry;
import io.tilemud.config.StartupRetrySettings;
import io.tilemud.contract.ConnectionsTable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
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
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates the connection registry table where nothing else does (local stack, tests), from the same
 * {@link ConnectionsTable} names the CDK stack uses. In AWS {@code tilemud.dynamodb.create-table} is false.
 */
@Singleton
public class ConnectionsTableSchema implements ApplicationEventListener<StartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionsTableSchema.class);

    private final DynamoDbClient dynamoDb;
    private final DynamoDbSettings settings;
    private final StartupRetrySettings retrySettings;

    public ConnectionsTableSchema(DynamoDbClient dynamoDb, DynamoDbSettings settings, StartupRetrySettings retrySettings) {
        this.dynamoDb = dynamoDb;
        this.settings = settings;
        this.retrySettings = retrySettings;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (settings.createTable()) {
            createIfMissing();
        }
    }

    /**
     * Makes sure the table exists with its TTL, retrying transient failures (timeouts, throttling, 5xx, an emulator
     * still starting) with backoff ({@code tilemud.startup-retry}). Every step is idempotent, so a try that timed out
     * after DynamoDB had acted is simply finished by the next one.
     *
     * @throws IllegalStateException naming the table, endpoint, tries and last cause when the tries run out or the
     *                               failure is not transient (bad credentials, invalid request)
     */
    public void createIfMissing() {
        String table = settings.connectionsTable();
        Retry retry = retrySettings.retry("dynamodb-create-table", ConnectionsTableSchema::isTransient);
        retry.getEventPublisher().onRetry(e -> LOG.warn("creating DynamoDB table {}: try {} failed ({}), retrying in {} ms",
                table, e.getNumberOfRetryAttempts(), e.getLastThrowable().toString(), e.getWaitInterval().toMillis()));
        AtomicInteger tries = new AtomicInteger();
        try {
            Retry.decorateRunnable(retry, () -> {
                tries.incrementAndGet();
                ensureTable(table);
            }).run();
        } catch (RuntimeException e) {
            throw new IllegalStateException("DynamoDB table " + table + " could not be created at "
                    + settings.endpointOverride().map(Object::toString).orElse("the AWS endpoint") + " after "
                    + tries.get() + " tries: " + e, e);
        }
    }

    /** Timeouts, throttling and server errors pass; what a retry cannot fix (4xx but throttling) does not. */
    static boolean isTransient(Throwable failure) {
        if (failure instanceof SdkServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500 || service.retryable();
        }
        return failure instanceof SdkClientException; // no answer: connect refused, timeouts (ApiCallTimeoutException)
    }

    private void ensureTable(String table) {
        try {
            dynamoDb.describeTable(b -> b.tableName(table));
        } catch (ResourceNotFoundException missing) {
            LOG.info("creating DynamoDB table {}", table);
            create(table);
        }
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(table));
        TimeToLiveStatus ttl = dynamoDb.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription().timeToLiveStatus();
        if (ttl != TimeToLiveStatus.ENABLED && ttl != TimeToLiveStatus.ENABLING) {
            dynamoDb.updateTimeToLive(b -> b.tableName(table)
                    .timeToLiveSpecification(t -> t.enabled(true).attributeName(ConnectionsTable.EXPIRES_AT)));
        }
    }

    private void create(String table) {
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
        } catch (ResourceInUseException createdConcurrently) {
            // another process sharing this DynamoDB Local won the race, or our previous try timed out after
            // DynamoDB had created it: same table, carry on
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
