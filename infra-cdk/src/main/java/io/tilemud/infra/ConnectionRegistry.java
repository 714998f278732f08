package io.tilemud.infra;

import io.tilemud.contract.ConnectionsTable;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/**
 * The WebSocket connection registry (connectionId → session, instance), every name from {@link ConnectionsTable}.
 * On demand because traffic follows player sessions, not a steady rate; items expire through DynamoDB TTL so a
 * connection whose $disconnect never ran cannot linger.
 */
public final class ConnectionRegistry extends Construct {
    private final Table table;

    public ConnectionRegistry(Construct scope, String id, String tableName) {
        super(scope, id);
        table = Table.Builder.create(this, "Table")
                .tableName(tableName)
                .partitionKey(stringKey(ConnectionsTable.CONNECTION_ID))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute(ConnectionsTable.EXPIRES_AT)
                .encryption(TableEncryption.AWS_MANAGED)
                // Live connections only: nothing here outlives a deployment that matters.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(ConnectionsTable.BY_SESSION_INDEX)
                .partitionKey(stringKey(ConnectionsTable.SESSION_ID))
                .projectionType(ProjectionType.ALL)
                .build());
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(ConnectionsTable.BY_INSTANCE_INDEX)
                .partitionKey(stringKey(ConnectionsTable.INSTANCE_ID))
                .projectionType(ProjectionType.ALL)
                .build());
    }

    private static Attribute stringKey(String name) {
        return Attribute.builder().name(name).type(AttributeType.STRING).build();
    }

    public Table table() {
        return table;
    }
}
