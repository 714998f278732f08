package io.tilemud.infra;

import io.tilemud.contract.Handlers;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionCatalogTest {
    private final List<FunctionSpec> catalog = FunctionCatalog.all();

    @Test
    void all_catalog_hasOneSpecPerFunctionId() {
        // GIVEN the catalog
        // WHEN collecting its ids
        // THEN every id appears exactly once
        assertEquals(EnumSet.allOf(FunctionId.class), catalog.stream().map(FunctionSpec::id)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(FunctionId.class))));
        assertEquals(FunctionId.values().length, catalog.size());
    }

    @Test
    void all_migration_isOwnedByExactlyOneDatabaseFunction() {
        // GIVEN the catalog
        // WHEN finding who migrates the schema
        var migrators = catalog.stream().filter(s -> s.needs(FunctionSpec.Need.MIGRATE_SCHEMA)).toList();

        // THEN only ops does, and it has a database
        assertEquals(1, migrators.size());
        assertEquals(FunctionId.OPS, migrators.getFirst().id());
        assertTrue(migrators.getFirst().needs(FunctionSpec.Need.DATABASE));
    }

    @Test
    void all_websocketHandlers_runFromTheWebsocketJar() {
        // GIVEN the WebSocket handler names
        Set<String> wsHandlers = Set.of(Handlers.WS_AUTHORIZER, Handlers.WS_CONNECT, Handlers.WS_DISCONNECT,
                Handlers.WS_INTENTS);

        // WHEN reading which jar each function runs from
        // THEN WebSocket handlers come from the websocket jar, everything else from the functions jar
        catalog.forEach(spec -> assertEquals(wsHandlers.contains(spec.handler()),
                spec.jar() == FunctionSpec.LambdaJar.WEBSOCKET, spec.id().key()));
    }

    @Test
    void httpRoutes_everyTarget_isAnHttpHandlerFunction() {
        // GIVEN the HTTP route table
        // WHEN resolving each target in the catalog
        // THEN it runs the Micronaut API Gateway v2 handler
        HttpRoutes.ALL.forEach(route -> assertEquals(Handlers.HTTP, catalog.stream()
                .filter(s -> s.id() == route.target()).findFirst().orElseThrow().handler(), route.routeKey()));
    }

    @Test
    void all_everyCacheFunction_mayScanTheRegistryToRebuildALostLedger_andNoOtherMay() {
        // GIVEN the catalog
        for (FunctionSpec spec : FunctionCatalog.all()) {
            // WHEN reading its table actions
            // THEN a function that runs admission scripts can rebuild the ledger from a consistent scan (issue 11)
            assertEquals(spec.needs(FunctionSpec.Need.CACHE), spec.tableActions().contains("dynamodb:Scan"),
                    spec.id().key());
        }
    }

    @Test
    void spec_wildcardTableAction_isRejected() {
        // GIVEN a spec asking for every DynamoDB action
        // WHEN constructing it
        // THEN it is refused: permissions must be spelled out
        assertThrows(IllegalArgumentException.class, () -> new FunctionSpec(FunctionId.ADMIN, Handlers.HTTP,
                FunctionSpec.LambdaJar.FUNCTIONS, 1024, 10, Set.of(), List.of("dynamodb:*"),
                FunctionSpec.Concurrency.UNRESERVED, "x"));
    }
}
