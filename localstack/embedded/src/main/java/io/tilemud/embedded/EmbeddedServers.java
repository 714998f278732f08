package io.tilemud.embedded;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Redis, PostgreSQL and DynamoDB Local for one JVM, each either embedded or an external server named by URL.
 * They start in parallel: the slowest (PostgreSQL's first initdb) sets the start-up time.
 */
public final class EmbeddedServers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServers.class);

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

    /**
     * Start-up policy of each server (issue 11: a start under load died on one timeout, with no retry): a failed
     * start (a port taken between choosing and binding it, a server slower than its deadline on a loaded machine) is
     * tried again after 0.5 s, then 1 s; the third failure is final and names the server. Constants, not
     * application.yml: these servers start before any application context exists.
     */
    static final int START_ATTEMPTS = 3;
    static final Duration START_BACKOFF = Duration.ofMillis(500);

    static <T> T withRetry(String server, Supplier<T> start) {
        Retry retry = Retry.of("start-" + server, RetryConfig.custom()
                .maxAttempts(START_ATTEMPTS)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(START_BACKOFF, 2))
                .retryExceptions(RuntimeException.class)
                .build());
        retry.getEventPublisher().onRetry(e -> LOG.warn("{} did not start (try {}): {}; retrying in {} ms", server,
                e.getNumberOfRetryAttempts(), e.getLastThrowable().toString(), e.getWaitInterval().toMillis()));
        try {
            return Retry.decorateSupplier(retry, start).get();
        } catch (RuntimeException e) {
            throw new IllegalStateException(server + " did not start after " + START_ATTEMPTS + " tries: " + e, e);
        }
    }

    public static EmbeddedServers start(Options options) {
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            var redis = CompletableFuture.supplyAsync(() -> options.redisUrl().isPresent() ? null
                    : withRetry("embedded Redis", () -> EmbeddedRedis.start(options.workDir().resolve("redis"))), starters);
            var postgres = CompletableFuture.supplyAsync(() -> options.jdbcUrl().isPresent() ? null
                    : withRetry("embedded PostgreSQL",
                            () -> EmbeddedPostgresServer.start(options.postgresDataDir(), options.durable())), starters);
            var dynamo = CompletableFuture.supplyAsync(() -> options.dynamoDbEndpoint().isPresent() ? null
                    : withRetry("DynamoDB Local", () -> EmbeddedDynamoDb.start(options.cacheDir(), options.workDir())), starters);
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
