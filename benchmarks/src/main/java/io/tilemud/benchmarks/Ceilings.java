package io.tilemud.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.tilemud.admission.AdmissionKeys;
import io.tilemud.admission.RedisScripts;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The floors under the hot paths, measured against the very servers the stack under test uses, in the same run:
 * <ul>
 *   <li>raw {@code EVALSHA} of admit.lua (what one admission costs Redis: the admission ceiling);</li>
 *   <li>a one-row insert + update transaction over JDBC with a pool of the stack's size (the floor under every ack);</li>
 *   <li>a no-op {@code POST /@connections/{id}} to the WebSocket emulator (the floor under every delta);</li>
 *   <li>{@code GET /version} through the HTTP API emulator and the same function (the floor under every HTTP route:
 *   emulator, event mapping, Micronaut routing, no domain work).</li>
 * </ul>
 * Closed loop, {@code threads} callers for {@code seconds}; each prints calls/s, latency percentiles and the stack's
 * CPU per call (for the first two that is mostly Redis' / PostgreSQL's, i.e. the stack's child processes).
 */
final class Ceilings {
    private final StackProcess stack;

    Ceilings(StackProcess stack) {
        this.stack = stack;
    }

    interface Call {
        void run() throws Exception;
    }

    /** A closed-loop run of one call shape; returns the rate. */
    double measure(String name, int threads, int seconds, ThreadLocalSetup setup) throws Exception {
        Samples latencies = new Samples();
        LongAdder errors = new LongAdder();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<?>> done = new ArrayList<>();
        StackProcess.Cpu before;
        long started;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Call> calls = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                calls.add(setup.create());
            }
            // warm-up: a second of the same calls, not counted
            long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            for (Call call : calls) {
                done.add(pool.submit(() -> {
                    while (System.nanoTime() < warm) {
                        call.run();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            done.clear();
            before = stack.cpu();
            started = System.nanoTime();
            long stop = started + TimeUnit.SECONDS.toNanos(seconds);
            for (Call call : calls) {
                done.add(pool.submit(() -> {
                    while (System.nanoTime() < stop) {
                        long t0 = System.nanoTime();
                        try {
                            call.run();
                            latencies.add(System.nanoTime() - t0);
                        } catch (Exception e) {
                            errors.increment();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        StackProcess.Cpu cpu = stack.cpu().minus(before);
        long[] sorted = latencies.sorted();
        double rate = sorted.length / elapsed;
        System.out.printf("  ceiling %-38s %7.0f /s by %d threads, %s, errors %d; %s; %s%n", name, rate, threads,
                Samples.percentiles(sorted), errors.sum(), cpu.perOp(sorted.length), stack.machine());
        return rate;
    }

    interface ThreadLocalSetup {
        Call create() throws Exception;
    }

    /** admit.lua by EVALSHA on one shared Lettuce connection, as the stack calls it. */
    double evalsha(int threads, int seconds) throws Exception {
        RedisClient client = RedisClient.create(stack.redisUrl);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            String digest = redis.scriptLoad(new RedisScripts().source(RedisScripts.ADMIT));
            String instance = "ceiling-" + UUID.randomUUID().toString().substring(0, 8);
            String[] keys = AdmissionKeys.scriptKeys(instance).toArray(String[]::new);
            return measure("raw EVALSHA admit.lua", threads, seconds, () -> () -> {
                // ARGV as RedisAdmissionLedger.admit builds them: common args, then the attempt's.
                String[] args = {Long.toString(System.currentTimeMillis()), instance, "10000000", "30000", "60000",
                        UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString(), "0",
                        "1000", "", "", UUID.randomUUID().toString(), "300000", UUID.randomUUID().toString()};
                redis.evalsha(digest, ScriptOutputType.MULTI, keys, args);
            });
        } finally {
            client.shutdown();
        }
    }

    /**
     * A one-row insert + update in one transaction, each caller with its own connection (a pool of at least the
     * callers' count never waits): what every acknowledged intent costs at the least.
     */
    double jdbcTransaction(int threads, int seconds) throws Exception {
        try (Connection admin = DriverManager.getConnection(stack.jdbcUrl); Statement ddl = admin.createStatement()) {
            ddl.execute("CREATE TABLE IF NOT EXISTS bench_ceiling (id bigserial PRIMARY KEY, n int NOT NULL)");
        }
        BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(threads);
        for (int i = 0; i < threads; i++) {
            Connection c = DriverManager.getConnection(stack.jdbcUrl);
            c.setAutoCommit(false);
            pool.add(c);
        }
        try {
            return measure("JDBC insert+update transaction", threads, seconds, () -> () -> {
                Connection c = pool.take();
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_ceiling (n) VALUES (0) RETURNING id");
                     PreparedStatement update = c.prepareStatement("UPDATE bench_ceiling SET n = n + 1 WHERE id = ?")) {
                    long id;
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                    update.setLong(1, id);
                    update.executeUpdate();
                    c.commit();
                } finally {
                    pool.add(c);
                }
            });
        } finally {
            for (Connection c : pool) {
                c.close();
            }
        }
    }

    /** The public {@code GET /version} route, by the driver's own HTTP client, as the admission calls are sent. */
    double httpVersion(HttpClient http, int threads, int seconds) throws Exception {
        URI uri = URI.create(stack.base() + "/version");
        return measure("GET /version (emulator + function)", threads, seconds, () -> () -> {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET /version: " + r.statusCode());
            }
        });
    }

    /** A tiny frame posted to a live connection through the management API, as the handlers post deltas. */
    double noopPost(String connectionId, int threads, int seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(stack.managementEndpoint() + "/@connections/"
                + java.net.URLEncoder.encode(connectionId, java.nio.charset.StandardCharsets.UTF_8));
        return measure("no-op POST /@connections/{id}", threads, seconds, () -> () -> {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"bench.noop\"}")).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("POST @connections: " + r.statusCode());
            }
        });
    }
}
