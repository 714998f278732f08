package io.tilemud.infra;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One function's shape and exactly what it may touch. The stack derives environment variables and IAM grants from
 * {@link #needs()} and {@link #tableActions()}, so a permission can only exist if it is listed here.
 *
 * @param handler        Lambda handler, from {@link io.tilemud.contract.Handlers}
 * @param memoryMb       memory in MiB (CPU scales with it)
 * @param timeoutSeconds invocation timeout in seconds
 * @param tableActions   DynamoDB actions on the connection registry and its indexes; empty = no access
 */
public record FunctionSpec(
        FunctionId id,
        String handler,
        LambdaJar jar,
        int memoryMb,
        int timeoutSeconds,
        Set<Need> needs,
        List<String> tableActions,
        Concurrency concurrency,
        String description) {

    public FunctionSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(jar, "jar");
        needs = Set.copyOf(needs);
        tableActions = List.copyOf(tableActions);
        Objects.requireNonNull(concurrency, "concurrency");
        Objects.requireNonNull(description, "description");
        if (memoryMb < 512 || timeoutSeconds < 1 || timeoutSeconds > 900) {
            throw new IllegalArgumentException(id + ": memory >= 512 MiB and timeout 1..900 s");
        }
        if (tableActions.stream().anyMatch(action -> !action.startsWith("dynamodb:") || action.contains("*"))) {
            throw new IllegalArgumentException(id + ": table actions must be explicit dynamodb actions");
        }
    }

    public boolean needs(Need need) {
        return needs.contains(need);
    }

    /** Which shaded jar holds the handler. */
    public enum LambdaJar { FUNCTIONS, WEBSOCKET }

    /** Resources a function may use; each brings its environment variables and its grant. */
    public enum Need {
        /** ElastiCache endpoint + AUTH token secret. */
        CACHE,
        /** PostgreSQL JDBC URL + credentials secret. */
        DATABASE,
        /** {@code execute-api:ManageConnections} + the management endpoint, to post to or close WebSockets. */
        POST_TO_CONNECTIONS,
        /** Runs Flyway when it initializes ({@code TILEMUD_MIGRATE=true}); exactly one function has it. */
        MIGRATE_SCHEMA,
        /** Issues and verifies room invite tokens (ROOM-01): the invite key's secret. */
        ROOM_INVITES
    }

    /** How much concurrency the function reserves. */
    public enum Concurrency {
        /** No reservation: cheap, or must never be throttled (health, authorizer). */
        UNRESERVED,
        /** Capped at {@link StackSettings#dbReservedConcurrency()}: its connection pool counts against RDS. */
        DATABASE_BOUND,
        /** One at a time: scheduled work that must not overlap with its previous run. */
        SINGLETON
    }
}
