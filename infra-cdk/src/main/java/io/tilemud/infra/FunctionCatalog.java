package io.tilemud.infra;

import io.tilemud.contract.Handlers;
import io.tilemud.infra.FunctionSpec.Concurrency;
import io.tilemud.infra.FunctionSpec.LambdaJar;
import io.tilemud.infra.FunctionSpec.Need;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static io.tilemud.infra.FunctionSpec.Need.CACHE;
import static io.tilemud.infra.FunctionSpec.Need.DATABASE;
import static io.tilemud.infra.FunctionSpec.Need.MIGRATE_SCHEMA;
import static io.tilemud.infra.FunctionSpec.Need.POST_TO_CONNECTIONS;
import static io.tilemud.infra.FunctionSpec.Need.ROOM_INVITES;

/**
 * Every function of the stack. The HTTP functions all run the same Micronaut application (one handler, routes
 * split by API Gateway) so each route group scales, fails and is throttled on its own.
 */
public final class FunctionCatalog {
    static final String GET_ITEM = "dynamodb:GetItem";
    static final String QUERY = "dynamodb:Query";
    static final String PUT_ITEM = "dynamodb:PutItem";
    static final String UPDATE_ITEM = "dynamodb:UpdateItem";
    static final String DELETE_ITEM = "dynamodb:DeleteItem";
    static final String DESCRIBE_TABLE = "dynamodb:DescribeTable";
    /**
     * A consistent scan of the table: any function that runs the admission scripts may find Redis lost and rebuild the
     * ledger from every live connection (issue 11), so every function that needs the cache gets it.
     */
    static final String SCAN = "dynamodb:Scan";

    /** Register, look up by connection or session, refresh and remove connections. */
    private static final List<String> REGISTRY_READ_WRITE =
            List.of(GET_ITEM, QUERY, PUT_ITEM, UPDATE_ITEM, DELETE_ITEM);

    private FunctionCatalog() {
    }

    public static List<FunctionSpec> all() {
        return Stream.concat(http().stream(), websocketAndScheduled().stream()).map(FunctionCatalog::mayRebuildLedger)
                .toList();
    }

    private static FunctionSpec mayRebuildLedger(FunctionSpec spec) {
        if (!spec.needs(CACHE) || spec.tableActions().contains(SCAN)) {
            return spec;
        }
        List<String> actions = Stream.concat(spec.tableActions().stream(), Stream.of(SCAN)).toList();
        return new FunctionSpec(spec.id(), spec.handler(), spec.jar(), spec.memoryMb(), spec.timeoutSeconds(),
                spec.needs(), actions, spec.concurrency(), spec.description());
    }

    private static List<FunctionSpec> websocketAndScheduled() {
        return List.of(
                new FunctionSpec(FunctionId.WS_AUTHORIZER, Handlers.WS_AUTHORIZER, LambdaJar.WEBSOCKET, 1024, 10,
                        // Verifies the access token only; binding to a session is $connect's job (RT-01).
                        Set.of(), List.of(), Concurrency.UNRESERVED,
                        "WebSocket $connect REQUEST authorizer"),
                new FunctionSpec(FunctionId.WS_CONNECT, Handlers.WS_CONNECT, LambdaJar.WEBSOCKET, 1024, 10,
                        Set.of(CACHE, DATABASE, POST_TO_CONNECTIONS), REGISTRY_READ_WRITE, Concurrency.DATABASE_BOUND,
                        "WebSocket $connect: bind to the admitted session, register the connection"),
                new FunctionSpec(FunctionId.WS_DISCONNECT, Handlers.WS_DISCONNECT, LambdaJar.WEBSOCKET, 1024, 10,
                        Set.of(CACHE, DATABASE, POST_TO_CONNECTIONS), REGISTRY_READ_WRITE, Concurrency.DATABASE_BOUND,
                        "WebSocket $disconnect: grace or release, unregister the connection"),
                new FunctionSpec(FunctionId.WS_INTENTS, Handlers.WS_INTENTS, LambdaJar.WEBSOCKET, 1536, 10,
                        Set.of(CACHE, DATABASE, POST_TO_CONNECTIONS), REGISTRY_READ_WRITE, Concurrency.DATABASE_BOUND,
                        "WebSocket intents: validate, persist, ack, fan out"),
                new FunctionSpec(FunctionId.JANITOR, Handlers.JANITOR, LambdaJar.FUNCTIONS, 1024, 55,
                        Set.of(CACHE, DATABASE, POST_TO_CONNECTIONS), List.of(GET_ITEM, QUERY, DELETE_ITEM),
                        Concurrency.SINGLETON,
                        "Janitor (every minute): grace expiry, stale sessions, queue promotion, idle rooms"));
    }

    private static List<FunctionSpec> http() {
        Set<Need> stateful = Set.of(CACHE, DATABASE);
        return List.of(
                new FunctionSpec(FunctionId.ADMISSION, Handlers.HTTP, LambdaJar.FUNCTIONS, 1024, 15,
                        // Replacing a session (ADM-09) finds the old socket by session and kicks it.
                        Set.of(CACHE, DATABASE, POST_TO_CONNECTIONS), List.of(GET_ITEM, QUERY, DELETE_ITEM),
                        Concurrency.DATABASE_BOUND, "HTTP admission, queue status, session release"),
                new FunctionSpec(FunctionId.SESSION_BOOTSTRAP, Handlers.HTTP, LambdaJar.FUNCTIONS, 1024, 10,
                        stateful, List.of(), Concurrency.DATABASE_BOUND, "HTTP session bootstrap"),
                new FunctionSpec(FunctionId.CHARACTERS, Handlers.HTTP, LambdaJar.FUNCTIONS, 1024, 10,
                        // Rooms live here too: invites are signed with the invite key, and a room change posts its
                        // events to the members' game sockets (ROOM-02); a gone socket is unregistered.
                        Set.of(CACHE, DATABASE, POST_TO_CONNECTIONS, ROOM_INVITES), List.of(GET_ITEM, QUERY, DELETE_ITEM),
                        Concurrency.DATABASE_BOUND, "HTTP characters and rooms"),
                new FunctionSpec(FunctionId.ADMIN, Handlers.HTTP, LambdaJar.FUNCTIONS, 1024, 15,
                        stateful, List.of(), Concurrency.DATABASE_BOUND, "HTTP admin API"),
                new FunctionSpec(FunctionId.OPS, Handlers.HTTP, LambdaJar.FUNCTIONS, 1024, 10,
                        // /health reports the connection registry too (OPS-01): reachability only.
                        Set.of(CACHE, DATABASE, MIGRATE_SCHEMA), List.of(DESCRIBE_TABLE), Concurrency.UNRESERVED,
                        "HTTP health and version; runs the Flyway migrations"));
    }
}
