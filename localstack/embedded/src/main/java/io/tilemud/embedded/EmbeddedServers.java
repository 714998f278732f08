package io.tilemud.embedded;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Redis, PostgreSQL and DynamoDB Local for one JVM, each either embedded or an external server named by URL.
 * They start in parallel: the slowest (PostgreSQL's first initdb) sets the start-up time.
 */
public final class EmbeddedServers implements AutoCloseable {

    /**
     * @param workDir         logs and unpacked binaries of this run
     * @param cacheDir        unpacked binaries reused across runs
     * @param postgresDataDir keep PostgreSQL data here across restarts; empty for a throw-away cluster
     * @param durable         crash-safe PostgreSQL settings (the local stack) or fast ones (tests)
     */
    public record Options(Path workDir, Path cacheDir, Optional<Path> postgresDataDir, boolean durable,
                          Optional<String> redisUrl, Optional<String> jdbcUrl, Optional<String> dynamoDbEndpoint) {
    }

    private final EmbeddedRedis redis;
    private final EmbeddedPostgresServer postgres;
    private final EmbeddedDynamoDb dynamoDb;
    private final Options options;

    private EmbeddedServers(Options options, EmbeddedRedis redis, EmbeddedPostgresServer postgres, EmbeddedDynamoDb dynamoDb) {
        this.options = options;
        this.redis = redis;
        this.postgres = postgres;
        this.dynamoDb = dynamoDb;
    }

    public static EmbeddedServers start(Options options) {
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            var redis = CompletableFuture.supplyAsync(() -> options.redisUrl().isPresent() ? null
                    : EmbeddedRedis.start(options.workDir().resolve("redis")), starters);
            var postgres = CompletableFuture.supplyAsync(() -> options.jdbcUrl().isPresent() ? null
                    : EmbeddedPostgresServer.start(options.postgresDataDir(), options.durable()), starters);
            var dynamo = CompletableFuture.supplyAsync(() -> options.dynamoDbEndpoint().isPresent() ? null
                    : EmbeddedDynamoDb.start(options.cacheDir(), options.workDir()), starters);
            // Let every start settle, so a failure never leaves a half-started server behind.
            CompletableFuture.allOf(redis, postgres, dynamo).exceptionally(failure -> null).join();
            if (redis.isCompletedExceptionally() || postgres.isCompletedExceptionally() || dynamo.isCompletedExceptionally()) {
                closeQuietly(settled(redis));
                closeQuietly(settled(postgres));
                closeQuietly(settled(dynamo));
                CompletableFuture.allOf(redis, postgres, dynamo).join(); // rethrows the first failure
            }
            return new EmbeddedServers(options, redis.join(), postgres.join(), dynamo.join());
        }
    }

    private static <T> T settled(CompletableFuture<T> future) {
        return future.isCompletedExceptionally() ? null : future.join();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // best effort during a failed start
        }
    }

    public String redisUrl() {
        return options.redisUrl().orElseGet(() -> redis.url());
    }

    public String jdbcUrl() {
        return options.jdbcUrl().orElseGet(() -> postgres.jdbcUrl());
    }

    /** Empty for an external JDBC URL, which carries its own credentials. */
    public Optional<String> jdbcUsername() {
        return Optional.ofNullable(postgres).map(EmbeddedPostgresServer::username);
    }

    public Optional<String> jdbcPassword() {
        return Optional.ofNullable(postgres).map(EmbeddedPostgresServer::password);
    }

    public String dynamoDbEndpoint() {
        return options.dynamoDbEndpoint().orElseGet(() -> dynamoDb.endpoint());
    }

    /** The embedded Redis, when there is one: tests stop it to show degraded mode. */
    public Optional<EmbeddedRedis> embeddedRedis() {
        return Optional.ofNullable(redis);
    }

    /** What runs where, one line per server, for start-up banners. */
    public String describe() {
        return "redis      " + redisUrl() + (redis == null ? " (external)" : " (embedded redis-server 6.2)") + "\n"
                + "postgresql " + jdbcUrl() + (postgres == null ? " (external)" : " (embedded PostgreSQL 16"
                + options.postgresDataDir().map(d -> ", data in " + d).orElse(", ephemeral") + ")") + "\n"
                + "dynamodb   " + dynamoDbEndpoint() + (dynamoDb == null ? " (external)" : " (DynamoDB Local, in memory)");
    }

    @Override
    public void close() {
        closeQuietly(dynamoDb);
        closeQuietly(redis);
        closeQuietly(postgres);
    }
}
