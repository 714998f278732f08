package io.tilemud.infra;

import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The three stores of section 1: ElastiCache (ephemeral), RDS PostgreSQL (durable), DynamoDB (connections), and the
 * room invite key (ROOM-01), generated here so no deployment ever signs invites with a known key.
 */
public final class Data extends Construct {
    private final Cache cache;
    private final Database database;
    private final ConnectionRegistry connections;
    private final Secret roomInviteKey;

    public Data(Construct scope, String id, StackSettings settings, Network network) {
        super(scope, id);
        cache = new Cache(this, "Cache", settings.cache(), network);
        database = new Database(this, "Database", settings.database(), network);
        connections = new ConnectionRegistry(this, "Connections", settings.tableName());
        roomInviteKey = Secret.Builder.create(this, "RoomInviteKey")
                .description("TileMUD room invite HMAC-SHA256 key (rotating it voids open invites)")
                .generateSecretString(SecretStringGenerator.builder().excludePunctuation(true).passwordLength(64).build())
                .build();
    }

    public Secret roomInviteKey() {
        return roomInviteKey;
    }

    public Cache cache() {
        return cache;
    }

    public Database database() {
        return database;
    }

    public ConnectionRegistry connections() {
        return connections;
    }
}
