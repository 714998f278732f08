package io.tilemud.contract;

/**
 * The DynamoDB WebSocket connection registry: one item per live connection, expired by DynamoDB TTL.
 *
 * <p>The single definition of this table's names: the CDK stack, the local stack, the tests and the adapter all
 * read them from here. Plain constants only (no AWS SDK types) so the CDK module can use it without the runtime.
 */
public final class ConnectionsTable {
    /** Default table name; deployments may prefix it (CDK passes the real name in {@link Environment#DYNAMODB_TABLE}). */
    public static final String DEFAULT_TABLE_NAME = "tilemud-connections";

    /** Partition key (S): API Gateway's connectionId. */
    public static final String CONNECTION_ID = "connectionId";
    /** (S) the admission session bound to the connection. */
    public static final String SESSION_ID = "sessionId";
    /** (S) the character playing through this connection (intents apply to it without a cache read). */
    public static final String CHARACTER_ID = "characterId";
    /** (S) the owner's user id. */
    public static final String USER_ID = "userId";
    /** (S) the game instance the session plays on. */
    public static final String INSTANCE_ID = "instanceId";
    /** (S) the client build negotiated at connect. */
    public static final String BUILD = "build";
    /** (N) epoch milliseconds of the $connect. */
    public static final String CONNECTED_AT = "connectedAt";
    /** (N) epoch milliseconds of the last client frame, kept to within a touch interval (RT-09). */
    public static final String LAST_ACTIVE_AT = "lastActiveAt";
    /** (N, optional) epoch milliseconds when the session entered grace, on a reconnected connection (RT-06). */
    public static final String GRACE_SINCE = "graceSince";
    /** (N, optional) the client's last acknowledged seq as it said at {@code $connect} (RT-06). */
    public static final String LAST_SEQ = "lastSeq";
    /** (N, optional) epoch milliseconds since when the client has been told that the cache is down (RT-07). */
    public static final String DEGRADED_SINCE = "degradedSince";
    /** (N) epoch <em>seconds</em> after which DynamoDB may delete the item (the TTL attribute). */
    public static final String EXPIRES_AT = "expiresAt";

    /** GSI: sessionId → connection, to reach the socket of a replaced or kicked session. Projection ALL. */
    public static final String BY_SESSION_INDEX = "bySession";
    /** GSI: instanceId → connections, for fan-out to the players of an instance. Projection ALL. */
    public static final String BY_INSTANCE_INDEX = "byInstance";

    private ConnectionsTable() {
    }
}
