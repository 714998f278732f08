package io.tilemud.infra;

import io.tilemud.contract.Environment;
import io.tilemud.infra.FunctionSpec.Need;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds each function's environment from the names in {@link Environment}. Plain configuration (build, issuer,
 * table name) goes to every function, because all functions of one jar start the same application context; what
 * grants access (secret ARNs, the management endpoint) follows {@link FunctionSpec#needs()}.
 */
final class FunctionEnvironment {
    /** C1 only: the JIT profile that starts fastest, which is what a request-sized Lambda invocation rewards. */
    static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    private final StackSettings settings;
    private final Data data;
    private final JwtIssuer issuer;
    private final String managementEndpoint;

    FunctionEnvironment(StackSettings settings, Data data, JwtIssuer issuer, String managementEndpoint) {
        this.settings = settings;
        this.data = data;
        this.issuer = issuer;
        this.managementEndpoint = managementEndpoint;
    }

    Map<String, String> of(FunctionSpec spec) {
        var env = new LinkedHashMap<String, String>();
        env.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        env.put(Environment.BUILD, settings.build());
        env.put(Environment.JWKS_URL, issuer.jwksUrl());
        env.put(Environment.ISSUER, issuer.issuer());
        env.put(Environment.AUDIENCE, issuer.audience());
        env.put(Environment.DYNAMODB_TABLE, data.connections().table().getTableName());
        if (spec.needs(Need.CACHE)) {
            putCache(env);
        }
        if (spec.needs(Need.DATABASE)) {
            putDatabase(env, spec.needs(Need.MIGRATE_SCHEMA));
        }
        if (spec.needs(Need.POST_TO_CONNECTIONS)) {
            env.put(Environment.WS_MANAGEMENT_ENDPOINT, managementEndpoint);
        }
        if (spec.needs(Need.ROOM_INVITES)) {
            if (settings.secretsInEnvironment()) {
                env.put(Environment.ROOMS_INVITE_KEY, data.roomInviteKey().getSecretValue().unsafeUnwrap());
            } else {
                env.put(Environment.ROOMS_INVITE_SECRET_ARN, data.roomInviteKey().getSecretArn());
            }
        }
        return env;
    }

    private void putCache(Map<String, String> env) {
        Cache cache = data.cache();
        String hostAndPort = cache.host() + ":" + cache.port();
        if (settings.secretsInEnvironment()) {
            env.put(Environment.REDIS_URL,
                    "rediss://:" + cache.authToken().getSecretValue().unsafeUnwrap() + "@" + hostAndPort);
        } else {
            env.put(Environment.REDIS_URL, "rediss://" + hostAndPort);
            env.put(ContractAdditions.REDIS_AUTH_SECRET_ARN_ENV, cache.authToken().getSecretArn());
        }
    }

    private void putDatabase(Map<String, String> env, boolean migrate) {
        Database database = data.database();
        env.put(Environment.JDBC_URL, database.jdbcUrl());
        env.put(Environment.DB_USERNAME, ContractAdditions.DATABASE_USER);
        if (settings.secretsInEnvironment()) {
            env.put(Environment.DB_PASSWORD, database.secret().secretValueFromJson("password").unsafeUnwrap());
        } else {
            env.put(ContractAdditions.DB_SECRET_ARN_ENV, database.secret().getSecretArn());
        }
        // Explicit on every database function, so no application default can make two functions migrate.
        env.put(Environment.MIGRATE, Boolean.toString(migrate));
    }
}
