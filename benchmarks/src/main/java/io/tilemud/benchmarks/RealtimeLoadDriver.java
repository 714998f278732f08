package io.tilemud.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tilemud.embedded.Ports;
import io.tilemud.localstack.LocalStack;
import io.tilemud.localstack.LocalStackOptions;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The realtime WebSocket API under load, through the whole local stack in this JVM: N admitted players, each on its
 * own WebSocket, walking one tile back and forth at a fixed pace. Measures
 * <ul>
 *   <li><b>ack round trip</b>: {@code intent.move} sent → its {@code event.ack} received by the mover;</li>
 *   <li><b>delta fan-out</b>: {@code intent.move} sent → the matching {@code event.state_delta} received by another
 *       player in view (same JVM, so both ends read the same {@link System#nanoTime()}).</li>
 * </ul>
 * Paced, not closed loop: each session sends a move every 1/movesPerSecond s, but never before its previous move is
 * answered (seq must stay in order); slots it could not keep are counted as "missed ticks".
 *
 * <p>Arguments: sessions (500), measured seconds (30), moves per second per session (2), players per instance (100:
 * the players are dealt round robin over ⌈sessions ÷ this⌉ instances, so the density stays the same whatever the
 * session count), placement ({@code spread} | {@code origin}), warm-up seconds (5).
 * <ul>
 *   <li>{@code origin}: where the API puts every new character, (0,0): every player of an instance sees every other,
 *       so each move fans out to (players per instance − 1).</li>
 *   <li>{@code spread}: before the run the driver writes random start tiles into {@code characters} (PostgreSQL,
 *       directly: the API has no spawn option), so a player sees the few others within 8 tiles of it.</li>
 * </ul>
 */
public final class RealtimeLoadDriver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ACK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int VIEW_RADIUS = 8;
    private static final int WIDTH = 64;
    private static final int HEIGHT = 64;

    private RealtimeLoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        double movesPerSecond = args.length > 2 ? Double.parseDouble(args[2]) : 2;
        int perInstance = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        String placement = args.length > 4 ? args[4] : "spread";
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 5;
        if (!placement.equals("spread") && !placement.equals("origin")) {
            throw new IllegalArgumentException("placement is spread or origin, got " + placement);
        }
        LocalStack stack = LocalStack.start(new LocalStackOptions(Ports.free(), Ports.free(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 3600));
        int status = 0;
        try {
            int instances = Math.max(1, (sessions + perInstance - 1) / perInstance);
            new RealtimeLoadDriver.Run(stack, sessions, seconds, movesPerSecond, instances, placement, warmup).run();
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        } finally {
            stack.close();
        }
        System.exit(status);
    }

    /** A growable long array for latencies (ns). */
    private static final class Samples {
        private long[] values = new long[1 << 14];
        private int size;

        synchronized void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        synchronized long[] sorted() {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }
    }

    private record Player(int index, String token, String characterId, String instanceId, String sessionId) {
    }

    /** One move in flight or recently sent: what a delta is matched against. */
    private record Sent(long seq, long sentNanos, int x, int y, boolean measured) {
    }

    /** A received reply to the outstanding move. */
    private record Reply(long receivedNanos, String code, long seq) {
    }

    private static final class Run {
        private final LocalStack stack;
        private final int sessions;
        private final int seconds;
        private final double movesPerSecond;
        private final int instances;
        private final String placement;
        private final int warmup;
        private final String base;
        private final HttpClient http;

        private final Samples ackLatencies = new Samples();
        private final Samples fanOutLatencies = new Samples();
        private final Map<String, LongAdder> errorsMeasured = new ConcurrentHashMap<>();
        private final Map<String, LongAdder> errorsTotal = new ConcurrentHashMap<>();
        private final Map<String, LongAdder> otherFrames = new ConcurrentHashMap<>();
        private final LongAdder deltasTotal = new LongAdder();
        private final LongAdder deltasMeasured = new LongAdder();
        private final LongAdder deltasUnmatched = new LongAdder();
        private final LongAdder expectedDeltasMeasured = new LongAdder();
        private final LongAdder acksMeasured = new LongAdder();
        private final LongAdder acksTotal = new LongAdder();
        private final LongAdder movesSentMeasured = new LongAdder();
        private final LongAdder missedTicks = new LongAdder();
        private final LongAdder socketsClosed = new LongAdder();
        private final Map<String, Session> byCharacter = new ConcurrentHashMap<>();
        private volatile long measureFrom = Long.MAX_VALUE;
        private volatile long measureTo = Long.MAX_VALUE;

        Run(LocalStack stack, int sessions, int seconds, double movesPerSecond, int instances, String placement,
            int warmup) {
            this.stack = stack;
            this.sessions = sessions;
            this.seconds = seconds;
            this.movesPerSecond = movesPerSecond;
            this.instances = instances;
            this.placement = placement;
            this.warmup = warmup;
            this.base = "http://127.0.0.1:" + stack.httpPort();
            this.http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        }

        private boolean inWindow(long nanos) {
            return nanos >= measureFrom && nanos < measureTo;
        }

        private static void count(Map<String, LongAdder> counts, String key) {
            counts.computeIfAbsent(key, k -> new LongAdder()).increment();
        }

        void run() throws Exception {
            String admin = stack.identity().mint("bench-admin", true);
            List<String> instanceIds = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                String id = "bench-rt-" + i;
                instanceIds.add(id);
                HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(base + "/admin/instances/" + id))
                        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"capacity\":100000,\"build\":\"dev\",\"state\":\"ACCEPTING\"}")));
                if (put.statusCode() / 100 != 2) {
                    throw new IllegalStateException("PUT instance " + id + ": " + put.statusCode() + " " + put.body());
                }
            }
            System.out.printf("setting up %d players in %d instance(s) (token, character, active character, admission, "
                    + "WebSocket)…%n", sessions, instances);
            long setupStarted = System.nanoTime();
            // Admission and $connect back to back per player: a pending session must be connected within 30 s.
            List<HttpClient> wsClients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                wsClients.add(HttpClient.newHttpClient());
            }
            List<Session> all = new ArrayList<>();
            try (ExecutorService setup = Executors.newFixedThreadPool(16)) {
                List<Future<Session>> made = new ArrayList<>();
                for (int i = 0; i < sessions; i++) {
                    int index = i;
                    made.add(setup.submit(() -> {
                        Player player = player(index, instanceIds.get(index % instances));
                        Session session = new Session(player);
                        session.open(wsClients.get(index % wsClients.size()), stack.wsPort());
                        return session;
                    }));
                }
                for (Future<Session> f : made) {
                    all.add(f.get());
                }
            }
            for (Session s : all) {
                byCharacter.put(s.player.characterId(), s);
            }
            System.out.printf("%d players admitted and connected in %.1f s%n", all.size(),
                    (System.nanoTime() - setupStarted) / 1e9);
            place(all);
            describePlacement(all);

            long period = (long) (1e9 / movesPerSecond);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
            measureTo = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
            System.out.printf("running: %d sessions × %.1f moves/s (%.0f moves/s offered), %d s warm-up + %d s measured%n",
                    sessions, movesPerSecond, sessions * movesPerSecond, warmup, seconds);
            Random phases = new Random(7);
            try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Session s : all) {
                    long first = start + (long) (phases.nextDouble() * period);
                    load.submit(() -> {
                        try {
                            s.walk(first, period, measureTo);
                        } catch (Exception e) {
                            // The session stops walking; say so rather than lose it silently.
                            count(errorsTotal, "DRIVER(" + e.getClass().getSimpleName() + ")");
                        }
                    });
                }
                progress(start, measureTo);
            }
            // Late deltas of the last moves.
            Thread.sleep(500);
            report(all);
            for (Session s : all) {
                s.close();
            }
            // Let the $disconnect handlers finish before the stack shuts down under them.
            Thread.sleep(Math.clamp(sessions * 20L, 2_000, 15_000));
        }

        private void progress(long start, long end) {
            long last = System.nanoTime();
            long lastAcks = 0;
            long lastDeltas = 0;
            while (System.nanoTime() < end) {
                LockSupport.parkNanos(Math.min(TimeUnit.SECONDS.toNanos(5), end - System.nanoTime()));
                long now = System.nanoTime();
                if (now - last < TimeUnit.MILLISECONDS.toNanos(500)) {
                    break;
                }
                long acks = acksTotal.sum();
                long deltas = deltasTotal.sum();
                long errors = errorsTotal.values().stream().mapToLong(LongAdder::sum).sum();
                System.out.printf("  t=%4.0f s %s: %6.0f acks/s, %7.0f deltas/s, errors so far %d%n",
                        (now - start) / 1e9, now < measureFrom ? "(warm-up)" : "          ",
                        (acks - lastAcks) / ((now - last) / 1e9), (deltas - lastDeltas) / ((now - last) / 1e9), errors);
                last = now;
                lastAcks = acks;
                lastDeltas = deltas;
            }
        }

        /** Start tiles: the API's (0,0) for "origin"; random tiles written to PostgreSQL for "spread". */
        private void place(List<Session> all) throws Exception {
            Random random = new Random(42);
            for (Session s : all) {
                if (placement.equals("spread")) {
                    s.x = random.nextInt(WIDTH);
                    s.y = random.nextInt(HEIGHT);
                } else {
                    s.x = 0;
                    s.y = 0;
                }
                s.direction = s.x == WIDTH - 1 ? -1 : 1;
            }
            if (!placement.equals("spread")) {
                return;
            }
            String url = stack.context().getProperty("datasources.default.url", String.class).orElseThrow();
            String user = stack.context().getProperty("datasources.default.username", String.class).orElse(null);
            String password = stack.context().getProperty("datasources.default.password", String.class).orElse(null);
            try (Connection db = DriverManager.getConnection(url, user, password);
                 PreparedStatement update = db.prepareStatement("UPDATE characters SET x = ?, y = ? WHERE id = ?")) {
                for (Session s : all) {
                    update.setInt(1, s.x);
                    update.setInt(2, s.y);
                    update.setObject(3, UUID.fromString(s.player.characterId()));
                    update.addBatch();
                }
                update.executeBatch();
            }
        }

        private void describePlacement(List<Session> all) {
            long pairs = 0;
            for (Session a : all) {
                pairs += inView(a);
            }
            System.out.printf("placement %s: %d players per instance on a %dx%d map, view radius %d → on average %.1f "
                            + "other players in view per player (= deltas per move)%s%n",
                    placement, (sessions + instances - 1) / instances, WIDTH, HEIGHT, VIEW_RADIUS,
                    pairs / (double) all.size(), placement.equals("spread")
                            ? "; start tiles written straight to PostgreSQL (characters.x/y) before the run"
                            : "; every character starts at (0,0), as the API creates it");
        }

        /** Others of {@code s}'s instance within view of its current tile, from the positions the clients track. */
        private int inView(Session s) {
            int n = 0;
            for (Session o : byCharacter.values()) {
                if (o != s && o.player.instanceId().equals(s.player.instanceId())
                        && Math.max(Math.abs(o.x - s.x), Math.abs(o.y - s.y)) <= VIEW_RADIUS) {
                    n++;
                }
            }
            return n;
        }

        private void report(List<Session> all) {
            double window = seconds;
            long[] acks = ackLatencies.sorted();
            long[] fanOut = fanOutLatencies.sorted();
            System.out.println();
            System.out.printf("realtime-ws: %d sessions, %d instance(s), placement %s, %.1f moves/s per session, "
                    + "%d s measured after %d s warm-up%n", sessions, instances, placement, movesPerSecond, seconds, warmup);
            System.out.printf("  moves sent %d (offered %.0f), acks %d → throughput %.0f acks/s, missed ticks %d "
                            + "(a session still waiting for its previous answer)%n",
                    movesSentMeasured.sum(), sessions * movesPerSecond * window, acksMeasured.sum(),
                    acksMeasured.sum() / window, missedTicks.sum());
            System.out.printf("  ack round trip    n=%-7d %s%n", acks.length, percentiles(acks));
            System.out.printf("  delta fan-out     n=%-7d %s%n", fanOut.length, percentiles(fanOut));
            System.out.printf("  deltas received %d in the window (%d in all, %d not matched to a sent move), "
                            + "expected ≈%d from client-side positions%n",
                    deltasMeasured.sum(), deltasTotal.sum(), deltasUnmatched.sum(), expectedDeltasMeasured.sum());
            System.out.printf("  errors in the window %s; in all (warm-up included) %s%n", counts(errorsMeasured),
                    counts(errorsTotal));
            if (!otherFrames.isEmpty() || socketsClosed.sum() > 0) {
                System.out.printf("  other frames %s, sockets closed by the server %d%n", counts(otherFrames),
                        socketsClosed.sum());
            }
            System.out.printf("  targets (2 cores): ack p95 ≤ 15 ms %s, fan-out p95 ≤ 20 ms %s%n",
                    verdict(acks, 15), verdict(fanOut, 20));
        }

        private static String verdict(long[] sorted, double targetMs) {
            if (sorted.length == 0) {
                return "n/a";
            }
            double p95 = ms(sorted, 0.95);
            return String.format("%s (%.2f ms)", p95 <= targetMs ? "MET" : "NOT MET", p95);
        }

        private static String percentiles(long[] sorted) {
            if (sorted.length == 0) {
                return "(no samples)";
            }
            return String.format("p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms", ms(sorted, 0.50),
                    ms(sorted, 0.95), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
        }

        private static String counts(Map<String, LongAdder> counts) {
            if (counts.isEmpty()) {
                return "none";
            }
            Map<String, Long> sorted = new TreeMap<>();
            counts.forEach((k, v) -> sorted.put(k, v.sum()));
            return sorted.toString();
        }

        private Player player(int index, String instanceId) {
            String token = stack.identity().mint("bench-rt-" + UUID.randomUUID(), false);
            String id = parse(send(HttpRequest.newBuilder(URI.create(base + "/characters"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Walker\"}"))).body()).get("id").asText();
            send(HttpRequest.newBuilder(URI.create(base + "/me/active-character"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"characterId\":\"" + id + "\"}")));
            HttpResponse<String> admitted = send(HttpRequest.newBuilder(URI.create(base + "/instances/" + instanceId + "/connect"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"characterId\":\"" + id + "\",\"clientBuild\":\"dev\"}")));
            JsonNode body = parse(admitted.body());
            if (!body.path("outcome").asText().equals("success")) {
                throw new IllegalStateException("player " + index + " not admitted: " + admitted.body());
            }
            return new Player(index, token, id, instanceId, body.get("sessionId").asText());
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** One player's socket and walk. */
        private final class Session implements WebSocket.Listener {
            final Player player;
            private final StringBuilder partial = new StringBuilder();
            private WebSocket socket;
            // Written by the walking thread only (read racily by others for the expected-delta estimate).
            volatile int x;
            volatile int y;
            int direction = 1;
            private long seq = 1;
            private volatile CompletableFuture<Reply> pending;
            private volatile long pendingSeq;
            private final Sent[] recent = new Sent[4];
            private int recentNext;

            Session(Player player) {
                this.player = player;
            }

            void open(HttpClient client, int wsPort) throws Exception {
                URI uri = URI.create("ws://127.0.0.1:" + wsPort + "/local?sessionId="
                        + URLEncoder.encode(player.sessionId(), StandardCharsets.UTF_8) + "&token=" + player.token());
                socket = client.newWebSocketBuilder().buildAsync(uri, this).get(30, TimeUnit.SECONDS);
            }

            void close() {
                try {
                    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    socket.abort();
                }
            }

            void walk(long first, long period, long end) throws Exception {
                long next = first;
                while (true) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (System.nanoTime() >= end || socket.isOutputClosed()) {
                        return;
                    }
                    int tx = x + direction;
                    if (tx < 0 || tx >= WIDTH) {
                        direction = -direction;
                        tx = x + direction;
                    }
                    CompletableFuture<Reply> reply = new CompletableFuture<>();
                    pending = reply;
                    pendingSeq = seq;
                    long sent = System.nanoTime();
                    boolean measured = inWindow(sent);
                    remember(new Sent(seq, sent, tx, y, measured));
                    if (measured) {
                        movesSentMeasured.increment();
                    }
                    socket.sendText("{\"type\":\"intent.move\",\"seq\":" + seq + ",\"dx\":" + direction + ",\"dy\":0}", true)
                            .get(5, TimeUnit.SECONDS);
                    Reply r;
                    try {
                        r = reply.get(Math.max(0, ACK_TIMEOUT_NANOS - (System.nanoTime() - sent)), TimeUnit.NANOSECONDS);
                    } catch (TimeoutException e) {
                        r = new Reply(System.nanoTime(), "TIMEOUT(no answer in 5 s)", seq);
                    }
                    pending = null;
                    if (r.code() == null) {
                        acksTotal.increment();
                        if (measured) {
                            acksMeasured.increment();
                            ackLatencies.add(r.receivedNanos() - sent);
                        }
                        x = tx;
                        seq++;
                        direction = -direction;
                        if (measured) {
                            expectedDeltasMeasured.add(inView(this));
                        }
                    } else {
                        count(errorsTotal, r.code());
                        if (measured) {
                            count(errorsMeasured, r.code());
                        }
                        if (r.code().equals("INVALID_MOVE")) {
                            direction = -direction;
                        }
                        // A refused seq is not consumed: the next move reuses it. A timed-out one is resent
                        // (acknowledged again if it had been applied).
                    }
                    next += period;
                    long now = System.nanoTime();
                    if (now > next) {
                        long behind = (now - next) / period + 1;
                        if (measured) {
                            missedTicks.add(behind);
                        }
                        next += behind * period;
                    }
                }
            }

            private synchronized void remember(Sent sent) {
                recent[recentNext] = sent;
                recentNext = (recentNext + 1) % recent.length;
            }

            /** The latest move of this mover to (x, y). */
            private synchronized Sent match(int tx, int ty) {
                Sent best = null;
                for (Sent s : recent) {
                    if (s != null && s.x() == tx && s.y() == ty && (best == null || s.sentNanos() > best.sentNanos())) {
                        best = s;
                    }
                }
                return best;
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                long received = System.nanoTime();
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    handle(text, received);
                }
                webSocket.request(1);
                return null;
            }

            private void handle(String text, long received) {
                JsonNode frame;
                try {
                    frame = JSON.readTree(text);
                } catch (Exception e) {
                    count(otherFrames, "unparseable");
                    return;
                }
                String type = frame.path("type").asText("");
                switch (type) {
                    case "event.ack" -> answer(frame.path("seq").asLong(-1), new Reply(received, null, frame.path("seq").asLong(-1)));
                    case "event.error" -> {
                        long s = frame.path("seq").asLong(-1);
                        String code = frame.path("code").asText("?");
                        if (!answer(s, new Reply(received, code, s))) {
                            count(errorsTotal, code + "(unsolicited)");
                        }
                    }
                    case "event.state_delta" -> delta(frame, received);
                    case "" -> {
                        // API Gateway's answer when the integration failed: {"message":"Internal server error",…}
                        String message = frame.path("message").asText("?");
                        CompletableFuture<Reply> p = pending;
                        if (p != null) {
                            p.complete(new Reply(received, "INTEGRATION: " + message, pendingSeq));
                        } else {
                            count(errorsTotal, "INTEGRATION: " + message + "(unsolicited)");
                        }
                    }
                    default -> count(otherFrames, type);
                }
            }

            private boolean answer(long s, Reply reply) {
                CompletableFuture<Reply> p = pending;
                if (p != null && s == pendingSeq) {
                    p.complete(reply);
                    return true;
                }
                count(otherFrames, "stale " + (reply.code() == null ? "ack" : "error"));
                return false;
            }

            private void delta(JsonNode frame, long received) {
                deltasTotal.increment();
                Session mover = byCharacter.get(frame.path("characterId").asText());
                Sent sent = mover == null ? null : mover.match(frame.path("x").asInt(), frame.path("y").asInt());
                if (sent == null) {
                    deltasUnmatched.increment();
                    return;
                }
                if (sent.measured()) {
                    deltasMeasured.increment();
                    fanOutLatencies.add(received - sent.sentNanos());
                }
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                if (System.nanoTime() < measureTo) {
                    socketsClosed.increment();
                    count(errorsTotal, "SOCKET_CLOSED(" + statusCode + ")");
                }
                CompletableFuture<Reply> p = pending;
                if (p != null) {
                    p.complete(new Reply(System.nanoTime(), "SOCKET_CLOSED(" + statusCode + ")", pendingSeq));
                }
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                count(errorsTotal, "SOCKET_ERROR(" + error.getClass().getSimpleName() + ")");
                CompletableFuture<Reply> p = pending;
                if (p != null) {
                    p.complete(new Reply(System.nanoTime(), "SOCKET_ERROR", pendingSeq));
                }
            }
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
