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

    /** Tag of {@link io.tilemud.contract.MetricNames#ADMISSION_ATTEMPTS}, published as a CloudWatch dimension. */
    public static final String OUTCOME_TAG = "outcome";
    public static final String OUTCOME_SUCCESS = "success";
    public static final String OUTCOME_QUEUED = "queued";
    public static final String OUTCOME_FAILED = "failed";
    public static final String OUTCOME_TIMEOUT = "timeout";
    /** Second tag of every attempt: the ADM-20 reason of a failure, {@link #NO_REASON} otherwise. */
    public static final String REASON_TAG = "reason";
    /** Reason tag value of attempts without a failure reason (what {@code AdmissionMetrics} records). */
    public static final String NO_REASON = "none";
    /** The failure reasons that mean the service, not the player, failed: only these count toward the alarm. */
    public static final String REASON_INTERNAL_ERROR = "INTERNAL_ERROR";
    public static final String REASON_SERVICE_DEGRADED = "SERVICE_DEGRADED";
    public static final String REASON_TIMEOUT = "TIMEOUT";

    /** Cognito group whose members get the admin role claim ({@code cognito:groups}) for the admin API (ADM-21). */
    public static final String ADMIN_GROUP = "admin";

    /** PostgreSQL database and master user created by the stack. */
    public static final String DATABASE_NAME = "tilemud";
    public static final String DATABASE_USER = "tilemud";

    private ContractAdditions() {
    }
}
