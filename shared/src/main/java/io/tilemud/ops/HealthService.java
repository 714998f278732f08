package io.tilemud.ops;

import io.micronaut.data.connection.jdbc.advice.DelegatingDataSource;
import io.tilemud.cache.CacheConnection;
import io.tilemud.config.TileMudSettings;
import io.tilemud.connection.DynamoDbSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Real checks of the three dependencies, run in parallel, each bounded by {@code tilemud.health.probe-timeout}
 * so {@code /health} answers quickly even when a dependency hangs.
 */
@Singleton
public class HealthService {
    private final DataSource dataSource;
    private final CacheConnection cache;
    private final DynamoDbClient dynamoDb;
    private final DynamoDbSettings dynamoDbSettings;
    private final TileMudSettings settings;
    private final HealthSettings healthSettings;
    private final ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();

    public HealthService(DataSource dataSource, CacheConnection cache, DynamoDbClient dynamoDb,
                         DynamoDbSettings dynamoDbSettings, TileMudSettings settings, HealthSettings healthSettings) {
        // The injected DataSource only hands out connections inside a Micronaut Data transaction/connection
        // scope; the probe wants a plain pooled connection.
        this.dataSource = DelegatingDataSource.unwrapDataSource(dataSource);
        this.cache = cache;
        this.dynamoDb = dynamoDb;
        this.dynamoDbSettings = dynamoDbSettings;
        this.settings = settings;
        this.healthSettings = healthSettings;
    }

    public HealthReport check() {
        var db = probe(this::databaseAnswers);
        var redis = probe(this::cacheAnswers);
        var registry = probe(this::registryAnswers);
        return HealthReport.of(db.join(), redis.join(), registry.join(), settings.build());
    }

    private CompletableFuture<ComponentStatus> probe(BooleanSupplier check) {
        return CompletableFuture.supplyAsync(() -> check.getAsBoolean() ? ComponentStatus.UP : ComponentStatus.DOWN, probes)
                .completeOnTimeout(ComponentStatus.DOWN, healthSettings.probeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(failure -> ComponentStatus.DOWN);
    }

    private boolean databaseAnswers() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid((int) Math.max(1, healthSettings.probeTimeout().toSeconds()));
        } catch (Exception e) {
            return false;
        }
    }

    private boolean cacheAnswers() {
        // Through the breaker: an open one reports DOWN at once (OPS-01), and the ping counts as one of its probes.
        if (!cache.available()) {
            return false;
        }
        try {
            return "PONG".equals(cache.call(redis -> redis.ping()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean registryAnswers() {
        try {
            dynamoDb.describeTable(b -> b.tableName(dynamoDbSettings.connectionsTable()));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @PreDestroy
    void close() {
        probes.shutdownNow();
    }
}
