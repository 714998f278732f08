package io.tilemud.contract;

/**
 * Environment variables a deployment sets on every function; application.yml maps each to a property. The CDK
 * stack and the documentation take the names from here.
 */
public final class Environment {
    /** Server build string; clients must match it exactly (ADM-06). */
    public static final String BUILD = "TILEMUD_BUILD";
    /** {@code redis://host:port} or {@code rediss://:password@host:port} (TLS + AUTH). */
    public static final String REDIS_URL = "TILEMUD_REDIS_URL";
    /** ARN of a Secrets Manager secret holding the Redis AUTH token (plain string); added to {@link #REDIS_URL}. */
    public static final String REDIS_AUTH_SECRET_ARN = "TILEMUD_REDIS_AUTH_SECRET_ARN";
    /** {@code jdbc:postgresql://host:5432/tilemud}. */
    public static final String JDBC_URL = "TILEMUD_JDBC_URL";
    public static final String DB_USERNAME = "TILEMUD_DB_USERNAME";
    public static final String DB_PASSWORD = "TILEMUD_DB_PASSWORD";
    /**
     * ARN of the RDS credentials secret (JSON with {@code username} and {@code password}); when set it supplies
     * {@link #DB_USERNAME} and {@link #DB_PASSWORD}, which then need not be in the environment.
     */
    public static final String DB_SECRET_ARN = "TILEMUD_DB_SECRET_ARN";
    /** Optional endpoint override (DynamoDB Local); empty in AWS. */
    public static final String DYNAMODB_ENDPOINT = "TILEMUD_DYNAMODB_ENDPOINT";
    /** Connection registry table name, see {@link ConnectionsTable}. */
    public static final String DYNAMODB_TABLE = "TILEMUD_DYNAMODB_TABLE";
    /** OIDC issuer's JWKS URL, expected {@code iss} and {@code aud} of access tokens. */
    public static final String JWKS_URL = "TILEMUD_JWKS_URL";
    public static final String ISSUER = "TILEMUD_ISSUER";
    public static final String AUDIENCE = "TILEMUD_AUDIENCE";
    /** {@code https://{api-id}.execute-api.{region}.amazonaws.com/{stage}}: where handlers post to connections. */
    public static final String WS_MANAGEMENT_ENDPOINT = "TILEMUD_WS_MANAGEMENT_ENDPOINT";
    /**
     * HMAC key of room invite tokens (ROOM-01), at least 32 characters; see {@link #ROOMS_INVITE_SECRET_ARN}. Unset,
     * no invite can be issued or verified: there is no default key outside the local stack and the tests.
     */
    public static final String ROOMS_INVITE_KEY = "TILEMUD_ROOMS_INVITE_KEY";
    /** ARN of a Secrets Manager secret (plain string) holding {@link #ROOMS_INVITE_KEY}; wins when set. */
    public static final String ROOMS_INVITE_SECRET_ARN = "TILEMUD_ROOMS_INVITE_SECRET_ARN";
    /** {@code true} runs Flyway migrations when a function starts. */
    public static final String MIGRATE = "TILEMUD_MIGRATE";
    /**
     * ARN of the Discord secret, a JSON object {@code {"botToken": …, "clientSecret": …}}; when set it supplies
     * {@code tilemud.discord.bot-token} (which switches Discord on, DSC-04) and {@code tilemud.discord.client-secret}.
     */
    public static final String DISCORD_SECRET_ARN = "TILEMUD_DISCORD_SECRET_ARN";
    /** The bot token itself, for hosts that inject secrets as variables (the relay's ECS task, the local stack). */
    public static final String DISCORD_BOT_TOKEN = "TILEMUD_DISCORD_BOT_TOKEN";
    public static final String DISCORD_GUILD_ID = "TILEMUD_DISCORD_GUILD_ID";
    public static final String DISCORD_CLIENT_ID = "TILEMUD_DISCORD_CLIENT_ID";
    public static final String DISCORD_REDIRECT_URI = "TILEMUD_DISCORD_REDIRECT_URI";
    public static final String DISCORD_API_BASE_URL = "TILEMUD_DISCORD_API_BASE_URL";
    public static final String DISCORD_GATEWAY_URL = "TILEMUD_DISCORD_GATEWAY_URL";

    private Environment() {
    }
}
