package io.tilemud.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tilemud.embedded.Ports;
import io.tilemud.localstack.LocalStack;
import io.tilemud.localstack.LocalStackOptions;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission through the whole local stack over loopback HTTP: client → Netty API Gateway emulation (JWT authorizer)
 * → payload-2.0 event → {@code APIGatewayV2HTTPEventFunction} → Redis/PostgreSQL. Closed loop: each client sends
 * its next attempt when the previous answer arrives, so mean latency ≈ clients ÷ throughput.
 *
 * <p>Arguments: clients (200), rounds (3), players per client per round (10). Sessions are released between
 * rounds (not timed).
 */
public final class AdmissionHttpLoadDriver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdmissionHttpLoadDriver() {
    }

    private record Player(String token, String body) {
    }

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int perClient = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        LocalStack stack = LocalStack.start(new LocalStackOptions(Ports.free(), Ports.free(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 3600));
        try {
            run(stack, clients, rounds, perClient);
        } finally {
            stack.close();
        }
        System.exit(0);
    }

    private static void run(LocalStack stack, int clients, int rounds, int perClient) throws Exception {
        String base = "http://127.0.0.1:" + stack.httpPort();
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        String instance = "bench-http";
        String admin = stack.identity().mint("bench-admin", true);
        send(http, HttpRequest.newBuilder(URI.create(base + "/admin/instances/" + instance))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"capacity\":100000,\"build\":\"dev\",\"state\":\"ACCEPTING\"}")));
        System.out.printf("setting up %d players…%n", clients * perClient);
        List<List<Player>> players = new ArrayList<>();
        try (ExecutorService setup = Executors.newFixedThreadPool(16)) {
            List<Future<Player>> made = new ArrayList<>();
            for (int i = 0; i < clients * perClient; i++) {
                made.add(setup.submit(() -> player(http, base, stack)));
            }
            for (int c = 0; c < clients; c++) {
                List<Player> own = new ArrayList<>();
                for (int p = 0; p < perClient; p++) {
                    own.add(made.get(c * perClient + p).get());
                }
                players.add(own);
            }
        }
        for (int round = 0; round <= rounds; round++) {
            long[] latencies = new long[clients * perClient];
            AtomicInteger next = new AtomicInteger();
            AtomicInteger notAdmitted = new AtomicInteger();
            List<String> sessions = java.util.Collections.synchronizedList(new ArrayList<>());
            long started = System.nanoTime();
            try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
                for (List<Player> own : players) {
                    load.submit(() -> {
                        for (Player p : own) {
                            long t0 = System.nanoTime();
                            HttpResponse<String> response = send(http, HttpRequest.newBuilder(URI.create(base + "/instances/" + instance + "/connect"))
                                    .header("Authorization", "Bearer " + p.token()).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(p.body())));
                            latencies[next.getAndIncrement()] = System.nanoTime() - t0;
                            JsonNode body = parse(response.body());
                            if (body.path("outcome").asText().equals("success")) {
                                sessions.add(p.token() + " " + body.get("sessionId").asText());
                            } else {
                                notAdmitted.incrementAndGet();
                            }
                        }
                        return null;
                    });
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            Arrays.sort(latencies);
            // Round 0 warms the JIT, pools and connections; it is not reported.
            if (round > 0) {
                System.out.printf("http round %d: %d admissions by %d clients in %.2f s -> %.0f admissions/s, "
                                + "p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms, not admitted %d%n",
                        round, latencies.length, clients, seconds, latencies.length / seconds, ms(latencies, 0.50),
                        ms(latencies, 0.95), ms(latencies, 0.99), latencies[latencies.length - 1] / 1e6, notAdmitted.get());
            }
            try (ExecutorService release = Executors.newFixedThreadPool(16)) {
                for (String s : sessions) {
                    String[] parts = s.split(" ");
                    release.submit(() -> send(http, HttpRequest.newBuilder(URI.create(base + "/sessions/" + parts[1]))
                            .header("Authorization", "Bearer " + parts[0]).DELETE()));
                }
            }
        }
    }

    private static Player player(HttpClient http, String base, LocalStack stack) {
        String token = stack.identity().mint("bench-" + UUID.randomUUID(), false);
        String id = parse(send(http, HttpRequest.newBuilder(URI.create(base + "/characters"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Bench\"}"))).body()).get("id").asText();
        send(http, HttpRequest.newBuilder(URI.create(base + "/me/active-character"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"characterId\":\"" + id + "\"}")));
        return new Player(token, "{\"characterId\":\"" + id + "\",\"clientBuild\":\"dev\"}");
    }

    private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(body, e);
        }
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
