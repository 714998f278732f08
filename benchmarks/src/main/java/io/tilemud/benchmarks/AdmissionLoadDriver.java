package io.tilemud.benchmarks;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import io.tilemud.admission.RedisAdmissionLedger;
import io.tilemud.character.CharacterService;
import io.tilemud.character.CreateCharacterResult;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import io.tilemud.session.SessionService;
import io.tilemud.user.User;
import io.tilemud.user.UserService;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission load driver (not a test): {@code clients} concurrent clients send {@code POST /instances/{id}/connect}
 * through the production Lambda handler ({@link APIGatewayV2HTTPEventFunction}, payload v2, JWT validation included)
 * in-process on the embedded Redis and PostgreSQL, then the same number of threads run the admission script alone
 * (EVALSHA of admit.lua through the same Lettuce connection) for the raw ceiling. Prints admissions/s, p50/p95/p99.
 *
 * <p>Each round every client admits its own players one after another (each attempt is a fresh admission, never the
 * cheap "already pending" path); between rounds the sessions are released outside the measurement.
 *
 * <p>Arguments: clients (200), rounds (4), players per client (10); run with
 * {@code ./mvnw -Pbench -pl benchmarks -am -DskipTests install && ./mvnw -Pbench -pl benchmarks exec:exec@admission}.
 */
public final class AdmissionLoadDriver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdmissionLoadDriver() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            run(args);
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        // The embedded servers' shutdown hooks stop them; exit explicitly (the JWKS server thread is not a daemon).
        System.exit(status);
    }

    private static void run(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int perClient = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        SharedTestInfra infra = SharedTestInfra.get();
        Map<String, Object> properties = new HashMap<>(infra.properties());
        try (ApplicationContext context = ApplicationContext.builder().properties(properties).start()) {
            APIGatewayV2HTTPEventFunction handler = new APIGatewayV2HTTPEventFunction(context);
            String instance = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            context.getBean(InstanceService.class).upsert(instance, 100_000, "bench", InstanceState.ACCEPTING);

            System.out.printf("setting up %d players...%n", clients * perClient);
            List<List<Player>> players = setUp(context, infra, clients, perClient);

            // Warm-up: one untimed round (JIT, connection pools, script load).
            runRound(handler, context, instance, players, null);
            release(context, players);

            long[] latencies = new long[rounds * clients * perClient];
            AtomicInteger next = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            long elapsedNanos = 0;
            for (int r = 0; r < rounds; r++) {
                long started = System.nanoTime();
                int from = next.get();
                failures.addAndGet(runRound(handler, context, instance, players, (nanos) -> latencies[next.getAndIncrement()] = nanos));
                elapsedNanos += System.nanoTime() - started;
                release(context, players);
                // Round by round, so the JIT's warm-up curve shows: a warm Lambda container is the late rounds.
                long[] round = Arrays.copyOfRange(latencies, from, next.get());
                Arrays.sort(round);
                System.out.printf("  round %d: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms%n", r + 1, ms(round, 0.50),
                        ms(round, 0.95), ms(round, 0.99));
            }
            int n = next.get();
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            double handlerRate = n / (elapsedNanos / 1e9);
            System.out.printf("handler: %d admissions by %d clients in %.2f s -> %.0f admissions/s, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms, non-success %d%n",
                    n, clients, elapsedNanos / 1e9, handlerRate, ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99),
                    sorted[n - 1] / 1e6, failures.get());

            double rawRate = rawScriptRate(context, clients, n);
            System.out.printf("ratio handler/raw: %.2f%n", handlerRate / rawRate);
            System.out.printf("cores: %d, java %s%n", Runtime.getRuntime().availableProcessors(), Runtime.version());
        }
    }

    private record Player(String token, String body) {
    }

    private static List<List<Player>> setUp(ApplicationContext context, SharedTestInfra infra, int clients,
                                            int perClient) throws Exception {
        UserService users = context.getBean(UserService.class);
        CharacterService characters = context.getBean(CharacterService.class);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<Player>>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    List<Player> mine = new ArrayList<>();
                    for (int i = 0; i < perClient; i++) {
                        String subject = "bench-" + UUID.randomUUID();
                        User user = users.ensureUser(subject);
                        var created = (CreateCharacterResult.Created) characters.create(user.id(),
                                "B " + UUID.randomUUID().toString().substring(0, 8));
                        characters.selectActive(user.id(), created.character().id());
                        mine.add(new Player(infra.identity().mint(subject, false),
                                "{\"characterId\":\"" + created.character().id() + "\",\"clientBuild\":\"bench\"}"));
                    }
                    return mine;
                }));
            }
            List<List<Player>> all = new ArrayList<>();
            for (var f : futures) {
                all.add(f.get());
            }
            return all;
        } finally {
            pool.shutdown();
        }
    }

    private interface Sink {
        void record(long nanos);
    }

    private static final List<String> SESSIONS = java.util.Collections.synchronizedList(new ArrayList<>());

    /** One round: every client admits its players sequentially; returns the count of non-success outcomes. */
    private static int runRound(APIGatewayV2HTTPEventFunction handler, ApplicationContext context, String instance,
                                List<List<Player>> players, Sink sink) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(players.size());
        AtomicInteger failures = new AtomicInteger();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (List<Player> mine : players) {
                futures.add(pool.submit(() -> {
                    start.await();
                    // No Lambda Context: with one, the adapter registers it as a singleton in the application context
                    // on every call (HandlerUtils.configureWithContext), which serializes 200 in-process callers and
                    // slows down as registrations pile up. Lambda runs one invocation per JVM at a time; set
                    // -Dbench.lambdaContext=true to measure with it anyway.
                    LocalLambdaContext lambdaContext = Boolean.getBoolean("bench.lambdaContext") ? new LocalLambdaContext() : null;
                    for (Player p : mine) {
                        APIGatewayV2HTTPEvent event = event(instance, p);
                        long t0 = System.nanoTime();
                        APIGatewayV2HTTPResponse response = handler.handleRequest(event, lambdaContext);
                        long took = System.nanoTime() - t0;
                        if (sink != null) {
                            sink.record(took);
                        }
                        var body = JSON.readTree(response.getBody());
                        if (!"success".equals(body.path("outcome").asText())) {
                            failures.incrementAndGet();
                        } else {
                            SESSIONS.add(body.get("sessionId").asText());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (var f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return failures.get();
    }

    private static void release(ApplicationContext context, List<List<Player>> players) {
        SessionService sessions = context.getBean(SessionService.class);
        synchronized (SESSIONS) {
            SESSIONS.forEach(s -> sessions.release(s, "bench"));
            SESSIONS.clear();
        }
    }

    private static APIGatewayV2HTTPEvent event(String instance, Player p) {
        APIGatewayV2HTTPEvent e = new APIGatewayV2HTTPEvent();
        e.setVersion("2.0");
        e.setRouteKey("$default");
        e.setRawPath("/instances/" + instance + "/connect");
        e.setRawQueryString("");
        e.setHeaders(new HashMap<>(Map.of("authorization", "Bearer " + p.token(), "content-type", "application/json",
                "content-length", Integer.toString(p.body().length()), "host", "bench.local")));
        e.setBody(p.body());
        e.setIsBase64Encoded(false);
        var http = APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST")
                .withPath("/instances/" + instance + "/connect").withProtocol("HTTP/1.1").withSourceIp("127.0.0.1")
                .withUserAgent("bench").build();
        var ctx = APIGatewayV2HTTPEvent.RequestContext.builder().withHttp(http).withRequestId(UUID.randomUUID().toString())
                .withStage("$default").withTimeEpoch(System.currentTimeMillis()).withDomainName("bench.local")
                .withAccountId("000000000000").withApiId("bench").build();
        e.setRequestContext(ctx);
        return e;
    }

    /** The admission script alone: {@code threads} threads run admit.lua {@code total} times in all. */
    private static double rawScriptRate(ApplicationContext context, int threads, int total) throws Exception {
        RedisAdmissionLedger ledger = context.getBean(RedisAdmissionLedger.class);
        String instance = "raw-" + UUID.randomUUID().toString().substring(0, 8);
        int perThread = Math.max(1, total / threads);
        long[] latencies = new long[threads * perThread];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            // warm-up
            for (int i = 0; i < 1000; i++) {
                ledger.admit(instance, 10_000_000, UUID.randomUUID(), UUID.randomUUID(), false, null, null);
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        UUID character = UUID.randomUUID();
                        UUID user = UUID.randomUUID();
                        long t0 = System.nanoTime();
                        ledger.admit(instance, 10_000_000, character, user, false, null, null);
                        latencies[next.getAndIncrement()] = System.nanoTime() - t0;
                    }
                    return null;
                }));
            }
            long started = System.nanoTime();
            start.countDown();
            for (var f : futures) {
                f.get();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            double rate = sorted.length / seconds;
            System.out.printf("raw EVALSHA admit.lua: %d calls by %d threads in %.2f s -> %.0f calls/s, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms%n",
                    sorted.length, threads, seconds, rate, ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99));
            return rate;
        } finally {
            pool.shutdown();
        }
    }

    private static double ms(long[] sorted, double quantile) {
        int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
