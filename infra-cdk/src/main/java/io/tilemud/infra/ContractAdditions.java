package io.tilemud.infra;

/**
 * Names the stack needs that {@code io.tilemud.contract} does not define (yet). They belong in the shared contract
 * once the runtime reads them; until then this is their single definition on the infrastructure side.
 */
public final class ContractAdditions {
    /**
     * ARN of the RDS credentials secret (JSON with {@code username}, {@code password}, {@code host}, {@code port}).
     * Set when the password is not put into {@code TILEMUD_DB_PASSWORD} (the default, see
     * {@link StackSettings#secretsInEnvironment()}).
     */
    public static final String DB_SECRET_ARN_ENV = io.tilemud.contract.Environment.DB_SECRET_ARN;
    /** ARN of the ElastiCache AUTH token secret (plain string); the runtime adds it to {@code TILEMUD_REDIS_URL}. */
    public static final String REDIS_AUTH_SECRET_ARN_ENV = io.tilemud.contract.Environment.REDIS_AUTH_SECRET_ARN;

    /** Query parameter every WebSocket connect carries ({@code wss://…/{stage}?sessionId=…}, section 3). */
    public static final String WS_SESSION_QUERY_PARAM = "sessionId";

    /** Cognito group whose members get the admin role claim ({@code cognito:groups}) for the admin API (ADM-21). */
    public static final String ADMIN_GROUP = "admin";

    /** PostgreSQL database and master user created by the stack. */
    public static final String DATABASE_NAME = "tilemud";
    public static final String DATABASE_USER = "tilemud";

    private ContractAdditions() {
    }
}
