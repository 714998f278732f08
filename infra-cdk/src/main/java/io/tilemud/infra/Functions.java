package io.tilemud.infra;

import io.tilemud.contract.MetricNames;
import io.tilemud.infra.FunctionSpec.LambdaJar;
import io.tilemud.infra.FunctionSpec.Need;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.Construct;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Creates every function of {@link FunctionCatalog} and gives each exactly the access its spec lists: secrets it
 * reads, DynamoDB actions on the connection registry, {@code execute-api:ManageConnections} on the WebSocket stage.
 */
public final class Functions extends Construct {
    private final Map<FunctionId, GameLambda> byId = new EnumMap<>(FunctionId.class);

    public Functions(Construct scope, String id, StackSettings settings, LambdaArtifacts artifacts, Network network,
                     Data data, JwtIssuer issuer, WebSocketStage realtimeStage) {
        super(scope, id);
        // One asset per jar, shared by the functions that run from it: uploaded once, hashed once.
        Map<LambdaJar, Code> code = Map.of(
                LambdaJar.FUNCTIONS, Code.fromAsset(artifacts.functionsJar().toString()),
                LambdaJar.WEBSOCKET, Code.fromAsset(artifacts.websocketJar().toString()));
        var environment = new FunctionEnvironment(settings, data, issuer, realtimeStage.getCallbackUrl());

        for (FunctionSpec spec : FunctionCatalog.all()) {
            var lambda = new GameLambda(this, spec, code.get(spec.jar()), environment.of(spec),
                    reservedConcurrency(spec, settings), settings, network);
            grant(lambda, settings, data, realtimeStage);
            byId.put(spec.id(), lambda);
        }
        publishAfterMigration();
    }

    public GameLambda get(FunctionId id) {
        return Objects.requireNonNull(byId.get(id), () -> "no function " + id);
    }

    public Collection<GameLambda> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    private static Integer reservedConcurrency(FunctionSpec spec, StackSettings settings) {
        if (settings.dbReservedConcurrency() == 0) {
            return null; // Lambda treats 0 as "always throttle": 0 in context means "do not reserve" instead.
        }
        return switch (spec.concurrency()) {
            case UNRESERVED -> null;
            case DATABASE_BOUND -> settings.dbReservedConcurrency();
            case SINGLETON -> 1;
        };
    }

    private static void grant(GameLambda lambda, StackSettings settings, Data data, WebSocketStage stage) {
        FunctionSpec spec = lambda.spec();
        var function = lambda.function();
        if (!settings.secretsInEnvironment()) {
            if (spec.needs(Need.CACHE)) {
                data.cache().authToken().grantRead(function);
            }
            if (spec.needs(Need.DATABASE)) {
                data.database().secret().grantRead(function);
            }
            if (spec.needs(Need.ROOM_INVITES)) {
                data.roomInviteKey().grantRead(function);
            }
        }
        if (spec.needs(Need.POST_TO_CONNECTIONS)) {
            stage.grantManagementApiAccess(function);
        }
        if (!spec.tableActions().isEmpty()) {
            // Table.grant covers the table and its indexes (Query on bySession/byInstance needs the index ARNs).
            data.connections().table().grant(function, spec.tableActions().toArray(String[]::new));
        }
        // Micrometer publishes OPS-03 metrics; PutMetricData has no resource ARNs, so the namespace is the fence.
        function.addToRolePolicy(PolicyStatement.Builder.create()
                .actions(List.of("cloudwatch:PutMetricData"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("cloudwatch:namespace", MetricNames.NAMESPACE)))
                .build());
    }

    /**
     * SnapStart initializes a function when its version is published, so the migrating function's Flyway run happens
     * during deployment. Publishing the other database functions after it means none of them snapshots (or serves)
     * against an older schema.
     */
    private void publishAfterMigration() {
        List<GameLambda> migrators = byId.values().stream().filter(l -> l.spec().needs(Need.MIGRATE_SCHEMA)).toList();
        if (migrators.size() != 1) {
            throw new IllegalStateException("exactly one function must migrate the schema, found " + migrators.size());
        }
        GameLambda migrator = migrators.getFirst();
        byId.values().stream()
                .filter(l -> l != migrator && l.spec().needs(Need.DATABASE))
                .forEach(l -> l.version().getNode().addDependency(migrator.version()));
    }
}
