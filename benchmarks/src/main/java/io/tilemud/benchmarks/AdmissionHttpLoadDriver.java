package io.tilemud.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Admission over loopback HTTP against the local stack running alone in its own process ({@link StackProcess}):
 * client → API Gateway HTTP API emulation (JWT authorizer) → payload-2.0 event → {@code HttpApiFunction} →
 * Redis/PostgreSQL. Every attempt is a fresh admission of its own player (never the cheap "already pending" path);
 * sessions are released between runs, outside the measurement.
 * <ul>
 *   <li><b>closed loop</b>: {@code clients} callers, each sending its next attempt when the previous answer arrives;
 *       {@code rounds} rounds of {@code clients × perClient} admissions;</li>
 *   <li><b>open loop</b> (when {@code openRate} &gt; 0): attempts due at a fixed rate for {@code openSeconds}, each sent
 *       at its due time whatever is still unanswered, latency from the due time;</li>
 *   <li>ceilings, same run, with as many callers as clients: raw EVALSHA admit.lua, and {@code GET /version}
 *       through the same emulator and function (what any route costs before the domain does anything).</li>
 * </ul>
 * Each run prints the stack's CPU per admission from /proc (stack JVM and its servers apart) and the load average.
 *
 * <p>Arguments: clients (64), rounds (3), players per client (20), open-loop rate per second (1000; 0: none),
 * open-loop seconds (30).
 */
public final class AdmissionHttpLoadDriver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdmissionHttpLoadDriver() {
    }

    private record Player(String token, String body) {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int perClient = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int openRate = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int openSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 30;
        int status = 0;
        try (StackProcess stack = StackProcess.start()) {
            new AdmissionHttpLoadDriver.Run(stack).run(clients, rounds, perClient, openRate, openSeconds);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private static final class Run {
        private final StackProcess stack;
        private final String base;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        private final String instance = "bench-http";

        Run(StackProcess stack) {
            this.stack = stack;
            this.base = stack.base();
        }

        void run(int clients, int rounds, int perClient, int openRate, int openSeconds) throws Exception {
            String admin = stack.mint("bench-admin", true);
            // 100,000 is the API's largest capacity: no admission of the run is refused as full.
            HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(base + "/admin/instances/" + instance))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"capacity\":100000,\"build\":\"dev\",\"state\":\"ACCEPTING\"}")));
            if (put.statusCode() / 100 != 2) {
                throw new IllegalStateException("PUT instance: " + put.statusCode() + " " + put.body());
            }
            int needed = Math.max(clients * perClient, openRate * openSeconds);
            System.out.printf("setting up %d players…%n", needed);
            long setupStarted = System.nanoTime();
            List<Player> players = setUp(needed);
            System.out.printf("%d players in %.1f s%n", players.size(), (System.nanoTime() - setupStarted) / 1e9);

            // Round 0 warms the JIT, pools and connections; it is not reported.
            double best = 0;
            StatementStats statements = new StatementStats(stack.jdbcUrl);
            for (int round = 0; round <= rounds; round++) {
                List<Player> batch = players.subList(0, clients * perClient);
                if (round == 1) {
                    statements.reset();
                    stack.startProfile();
                }
                double rate = closedRound(round, clients, perClient, batch);
                best = round > 0 ? Math.max(best, rate) : best;
            }
            // The release of each round's sessions (DELETE /sessions/{id}) is in these counts too, outside the timing.
            System.out.print(statements.report((long) rounds * clients * perClient, "admission", 8));
            stack.stopProfile();
            System.out.println("ceilings, same run:");
            Ceilings ceilings = new Ceilings(stack);
            double evalsha = ceilings.evalsha(clients, 5);
            double version = ceilings.httpVersion(http, clients, 5);
            System.out.printf("  best closed-loop round %.0f admissions/s = %.2f of the EVALSHA ceiling (target ≥ 0.5 and "
                    + "≥ 5,000/s: %s), %.2f of GET /version%n", best, best / evalsha,
                    best >= 5_000 && best / evalsha >= 0.5 ? "MET" : "NOT MET", best / version);
            if (openRate > 0) {
                openLoop(openRate, openSeconds, players);
            }
        }

        private List<Player> setUp(int count) throws Exception {
            List<Player> players = new ArrayList<>(count);
            try (ExecutorService setup = Executors.newFixedThreadPool(16)) {
                List<Future<Player>> made = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    made.add(setup.submit(this::player));
                }
                for (Future<Player> f : made) {
                    players.add(f.get());
                }
            }
            return players;
        }

        /** @return admissions per second */
        private double closedRound(int round, int clients, int perClient, List<Player> batch) throws Exception {
            Samples latencies = new Samples();
            Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
            List<String> sessions = Collections.synchronizedList(new ArrayList<>());
            StackProcess.Cpu before = stack.cpu();
            long started = System.nanoTime();
            try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < clients; c++) {
                    List<Player> own = batch.subList(c * perClient, (c + 1) * perClient);
                    load.submit(() -> {
                        for (Player p : own) {
                            long t0 = System.nanoTime();
                            String outcome = admit(p, sessions);
                            latencies.add(System.nanoTime() - t0);
                            outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
                        }
                        return null;
                    });
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            StackProcess.Cpu cpu = stack.cpu().minus(before);
            long[] sorted = latencies.sorted();
            if (round > 0) {
                System.out.printf("closed loop round %d: %d admissions by %d clients in %.2f s → %.0f admissions/s, %s; "
                                + "outcomes %s; %s; %s%n", round, sorted.length, clients, seconds, sorted.length / seconds,
                        Samples.percentiles(sorted), sorted(outcomes), cpu.perOp(sorted.length), stack.machine());
            }
            release(sessions);
            return sorted.length / seconds;
        }

        private void openLoop(int rate, int seconds, List<Player> players) throws Exception {
            int total = rate * seconds;
            Samples latencies = new Samples();
            Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
            List<String> sessions = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger late = new AtomicInteger();
            long period = 1_000_000_000L / rate;
            StackProcess.Cpu before = stack.cpu();
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < total; i++) {
                    long due = start + i * period;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    } else if (wait < -TimeUnit.MILLISECONDS.toNanos(5)) {
                        late.incrementAndGet();
                    }
                    Player p = players.get(i);
                    load.submit(() -> {
                        String outcome = admit(p, sessions);
                        latencies.add(System.nanoTime() - due);
                        outcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
                    });
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            StackProcess.Cpu cpu = stack.cpu().minus(before);
            long[] sorted = latencies.sorted();
            long nonSuccess = outcomes.entrySet().stream().filter(e -> !e.getKey().equals("success"))
                    .mapToLong(e -> e.getValue().sum()).sum();
            System.out.printf("open loop %d/s for %d s: %d admissions in %.2f s, latency from due time %s; non-success %d "
                            + "%s; sent > 5 ms late by the driver %d; %s; %s%n", rate, seconds, sorted.length, elapsed,
                    Samples.percentiles(sorted), nonSuccess, sorted(outcomes), late.get(), cpu.perOp(sorted.length),
                    stack.machine());
            System.out.printf("  target p99 ≤ 10 ms and 0 non-success: %s%n",
                    sorted.length > 0 && Samples.ms(sorted, 0.99) <= 10 && nonSuccess == 0 ? "MET" : "NOT MET");
            release(sessions);
        }

        private String admit(Player p, List<String> sessions) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/instances/" + instance + "/connect"))
                        .header("Authorization", "Bearer " + p.token()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(p.body())).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode body = JSON.readTree(response.body());
                String outcome = body.path("outcome").asText("");
                if (outcome.equals("success")) {
                    sessions.add(p.token() + " " + body.get("sessionId").asText());
                    return outcome;
                }
                // Every refusal by its code, so a run that measured the error path says so.
                return response.statusCode() + " " + (outcome.isEmpty() ? "" : outcome + " ")
                        + body.path("code").asText(body.path("reason").asText("?"));
            } catch (Exception e) {
                return "DRIVER(" + e.getClass().getSimpleName() + ")";
            }
        }

        private void release(List<String> sessions) throws Exception {
            try (ExecutorService release = Executors.newFixedThreadPool(16)) {
                for (String s : sessions) {
                    String[] parts = s.split(" ");
                    release.submit(() -> send(HttpRequest.newBuilder(URI.create(base + "/sessions/" + parts[1]))
                            .header("Authorization", "Bearer " + parts[0]).DELETE()));
                }
            }
        }

        private Player player() {
            String token = stack.mint("bench-" + UUID.randomUUID(), false);
            String id = parse(send(HttpRequest.newBuilder(URI.create(base + "/characters"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Bench\"}"))).body()).get("id").asText();
            send(HttpRequest.newBuilder(URI.create(base + "/me/active-character"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"characterId\":\"" + id + "\"}")));
            return new Player(token, "{\"characterId\":\"" + id + "\",\"clientBuild\":\"dev\"}");
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> counts) {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((k, v) -> sorted.put(k, v.sum()));
        return sorted;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(body, e);
        }
    }
}
