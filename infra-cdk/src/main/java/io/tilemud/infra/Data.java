package io.tilemud.infra;

import software.constructs.Construct;

/** The three stores of section 1: ElastiCache (ephemeral), RDS PostgreSQL (durable), DynamoDB (connections). */
public final class Data extends Construct {
    private final Cache cache;
    private final Database database;
    private final ConnectionRegistry connections;

    public Data(Construct scope, String id, StackSettings settings, Network network) {
        super(scope, id);
        cache = new Cache(this, "Cache", settings.cache(), network);
        database = new Database(this, "Database", settings.database(), network);
        connections = new ConnectionRegistry(this, "Connections", settings.tableName());
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
