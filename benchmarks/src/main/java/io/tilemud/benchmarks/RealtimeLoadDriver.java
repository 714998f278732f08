package io.tilemud.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * The realtime WebSocket API under load, driven over the wire against the local stack running alone in its own
 * process ({@link StackProcess}): N admitted players, each on its own WebSocket, stepping one tile back and forth.
 * Measures
 * <ul>
 *   <li><b>ack</b>: {@code intent.move} due → its {@code event.ack} received by the mover;</li>
 *   <li><b>delta fan-out</b>: {@code intent.move} due → the matching {@code event.state_delta} received by another
 *       player steadily in view (both ends in this JVM, one {@link System#nanoTime()}; pairs at the edge of view
 *       are counted, not timed: see {@code Session.delta});</li>
 *   <li>the stack's CPU per acknowledged move (with its deltas), from /proc, JVM and its servers apart;</li>
 *   <li>in the same run, the floors: a JDBC insert+update transaction and a no-op {@code POST /@connections/{id}}.</li>
 * </ul>
 * Mode {@code open} (the default): every session sends its k-th move at first + k/rate whatever happened to the
 * previous ones (pipelined seqs; the emulator runs one connection's frames in order, as API Gateway routes them) and
 * latency counts from that intended time, so a slow server cannot slow the offered load down (no coordinated
 * omission). Mode {@code closed}: a session sends its next move only after the previous answer, at most at the rate;
 * the slots it could not keep are counted as "missed ticks".
 *
 * <p>Arguments: sessions (500), measured seconds (30), moves per second per session (2), players per instance (100:
 * the players are dealt round robin over ⌈sessions ÷ this⌉ instances, so the density stays the same whatever the
 * session count), placement ({@code spread} | {@code origin}), warm-up seconds (5), mode ({@code open} | {@code closed}).
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
        String mode = args.length > 6 ? args[6] : "open";
        if (!placement.equals("spread") && !placement.equals("origin")) {
            throw new IllegalArgumentException("placement is spread or origin, got " + placement);
        }
        if (!mode.equals("open") && !mode.equals("closed")) {
            throw new IllegalArgumentException("mode is open or closed, got " + mode);
        }
        int status = 0;
        try (StackProcess stack = StackProcess.start()) {
            int instances = Math.max(1, (sessions + perInstance - 1) / perInstance);
            new RealtimeLoadDriver.Run(stack, sessions, seconds, movesPerSecond, instances, placement, warmup,
                    mode.equals("open")).run();
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private record Player(int index, String token, String characterId, String instanceId, String sessionId) {
    }

    /** A received reply to a move. */
    /** Refusals a real client answers by sending the same seq again (open loop does too). */
    private static final java.util.Set<String> RESENT = java.util.Set.of("SERVER_BUSY", "DB_UNAVAILABLE",
            "SEQ_OUT_OF_ORDER", "RATE_LIMITED");

    private record Reply(long receivedNanos, String code, long seq) {
    }

    private static final class Run {
        private final StackProcess stack;
        private final int sessions;
        private final int seconds;
        private final double movesPerSecond;
        private final int instances;
        private final String placement;
        private final int warmup;
        private final boolean open;
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
        /** Deltas from movers at the edge of a viewer's view: counted, not timed (see Session.delta). */
        private final LongAdder deltasEdge = new LongAdder();
        private final LongAdder expectedDeltasMeasured = new LongAdder();
        private final LongAdder acksMeasured = new LongAdder();
        private final LongAdder acksTotal = new LongAdder();
        private final LongAdder movesSentMeasured = new LongAdder();
        private final LongAdder unansweredMeasured = new LongAdder();
        private final LongAdder missedTicks = new LongAdder();
        private final LongAdder socketsClosed = new LongAdder();
        private final Map<String, Session> byCharacter = new ConcurrentHashMap<>();
        private volatile long measureFrom = Long.MAX_VALUE;
        private volatile long measureTo = Long.MAX_VALUE;
        private volatile StackProcess.Cpu cpuAtStart;
        private volatile StackProcess.Cpu cpuAtEnd;
        private volatile long acksAtCpuStart;
        private volatile long acksAtCpuEnd;
        private volatile long deltasAtCpuStart;
        private volatile long deltasAtCpuEnd;
        private final StatementStats statements;
        private volatile String statementsReport = "";

        Run(StackProcess stack, int sessions, int seconds, double movesPerSecond, int instances, String placement,
            int warmup, boolean open) {
            this.stack = stack;
            this.statements = new StatementStats(stack.jdbcUrl);
            this.sessions = sessions;
            this.seconds = seconds;
            this.movesPerSecond = movesPerSecond;
            this.instances = instances;
            this.placement = placement;
            this.warmup = warmup;
            this.open = open;
            this.base = stack.base();
            this.http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        }

        private boolean inWindow(long nanos) {
            return nanos >= measureFrom && nanos < measureTo;
        }

        private static void count(Map<String, LongAdder> counts, String key) {
            counts.computeIfAbsent(key, k -> new LongAdder()).increment();
        }

        void run() throws Exception {
            String admin = stack.mint("bench-admin", true);
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
                        session.open(wsClients.get(index % wsClients.size()), stack.wsPort);
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

            System.out.println("floors, same run (" + stack.machine() + "):");
            Ceilings ceilings = new Ceilings(stack);
            ceilings.jdbcTransaction(8, 3);
            ceilings.noopPost(all.getFirst().connectionId(), 8, 3);

            long period = (long) (1e9 / movesPerSecond);
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
            measureTo = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
            int capacity = (int) Math.ceil((warmup + seconds + 2) * movesPerSecond) + 8;
            for (Session s : all) {
                s.sentAt = new long[capacity + 2];
            }
            System.out.printf("running %s loop: %d sessions × %.1f moves/s (%.0f moves/s offered), %d s warm-up + %d s measured%n",
                    open ? "open" : "closed", sessions, movesPerSecond, sessions * movesPerSecond, warmup, seconds);
            Random phases = new Random(7);
            try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Session s : all) {
                    long first = start + (long) (phases.nextDouble() * period);
                    load.submit(() -> {
                        try {
                            if (open) {
                                s.walkOpen(first, period, measureTo, capacity);
                            } else {
                                s.walkClosed(first, period, measureTo, capacity);
                            }
                        } catch (Exception e) {
                            // The session stops walking; say so rather than lose it silently.
                            count(errorsTotal, "DRIVER(" + e.getClass().getSimpleName() + ")");
                        }
                    });
                }
                progress(start, measureTo);
            }
            if (open) {
                // The answers to the last moves of the window (up to the ack timeout).
                long until = System.nanoTime() + ACK_TIMEOUT_NANOS;
                while (System.nanoTime() < until && all.stream().anyMatch(Session::awaiting)) {
                    Thread.sleep(50);
                }
                for (Session s : all) {
                    unansweredMeasured.add(s.unansweredInWindow());
                }
            } else {
                Thread.sleep(500);
            }
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
            boolean started = false;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                long nextTick = Math.min(now + TimeUnit.SECONDS.toNanos(5), end);
                if (!started && measureFrom > now) {
                    nextTick = Math.min(nextTick, measureFrom);
                }
                LockSupport.parkNanos(nextTick - now);
                now = System.nanoTime();
                if (!started && now >= measureFrom) {
                    started = true;
                    statements.reset();
                    stack.startProfile();
                    cpuAtStart = stack.cpu();
                    acksAtCpuStart = acksTotal.sum();
                    deltasAtCpuStart = deltasTotal.sum();
                }
                if (now - last < TimeUnit.MILLISECONDS.toNanos(500)) {
                    continue;
                }
                long acks = acksTotal.sum();
                long deltas = deltasTotal.sum();
                long errors = errorsTotal.values().stream().mapToLong(LongAdder::sum).sum();
                System.out.printf("  t=%4.0f s %s: %6.0f acks/s, %7.0f deltas/s, errors so far %d; %s%n",
                        (now - start) / 1e9, now < measureFrom ? "(warm-up)" : "          ",
                        (acks - lastAcks) / ((now - last) / 1e9), (deltas - lastDeltas) / ((now - last) / 1e9), errors,
                        StackProcess.loadavg());
                last = now;
                lastAcks = acks;
                lastDeltas = deltas;
            }
            cpuAtEnd = stack.cpu();
            acksAtCpuEnd = acksTotal.sum();
            deltasAtCpuEnd = deltasTotal.sum();
            statementsReport = statements.report(acksAtCpuEnd - acksAtCpuStart, "move", 8);
            stack.stopProfile();
        }

        /** Start tiles: the API's (0,0) for "origin"; random tiles written to PostgreSQL for "spread". */
        private void place(List<Session> all) throws Exception {
            Random random = new Random(42);
            for (Session s : all) {
                if (placement.equals("spread")) {
                    s.x0 = random.nextInt(WIDTH);
                    s.y = random.nextInt(HEIGHT);
                } else {
                    s.x0 = 0;
                    s.y = 0;
                }
                s.x = s.x0;
                s.direction = s.x0 == WIDTH - 1 ? -1 : 1;
            }
            if (!placement.equals("spread")) {
                return;
            }
            try (Connection db = DriverManager.getConnection(stack.jdbcUrl);
                 PreparedStatement update = db.prepareStatement("UPDATE characters SET x = ?, y = ? WHERE id = ?")) {
                for (Session s : all) {
                    update.setInt(1, s.x0);
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
            System.out.printf("realtime-ws (%s loop, stack in its own process): %d sessions, %d instance(s), placement %s, "
                            + "%.1f moves/s per session, %d s measured after %d s warm-up; %s%n", open ? "open" : "closed",
                    sessions, instances, placement, movesPerSecond, seconds, warmup, stack.machine());
            System.out.printf("  moves due %d (offered %.0f), acks %d → throughput %.0f acks/s%s%n",
                    movesSentMeasured.sum(), sessions * movesPerSecond * window, acksMeasured.sum(),
                    acksMeasured.sum() / window, open ? ", unanswered after 5 s " + unansweredMeasured.sum()
                            : ", missed ticks " + missedTicks.sum() + " (a session still waiting for its previous answer)");
            System.out.printf("  ack%s  n=%-7d %s%n", open ? " (from due time)" : " round trip     ", acks.length,
                    Samples.percentiles(acks));
            System.out.printf("  delta fan-out%s n=%-7d %s%n", open ? " (from due)" : "           ", fanOut.length,
                    Samples.percentiles(fanOut));
            System.out.printf("  deltas timed %d in the window (%d received in all, %d from movers at the edge of view, "
                            + "not timed; %d not matched to a sent move); expected ≈%d in the window from client-side "
                            + "positions, edge included%n",
                    deltasMeasured.sum(), deltasTotal.sum(), deltasEdge.sum(), deltasUnmatched.sum(),
                    expectedDeltasMeasured.sum());
            if (cpuAtStart != null && cpuAtEnd != null) {
                StackProcess.Cpu cpu = cpuAtEnd.minus(cpuAtStart);
                long acked = acksAtCpuEnd - acksAtCpuStart;
                System.out.printf("  server CPU in the window: %.0f %% of a core (stack JVM %.0f %%, its servers %.0f %%); "
                                + "per acked move with its %.1f deltas: %s%n",
                        cpu.totalMs() / (window * 10), cpu.jvmMs() / (window * 10), cpu.childrenMs() / (window * 10),
                        acked == 0 ? 0.0 : (deltasAtCpuEnd - deltasAtCpuStart) / (double) acked, cpu.perOp(acked));
                System.out.print(statementsReport);
            }
            System.out.printf("  errors in the window %s; in all (warm-up included) %s%n", counts(errorsMeasured),
                    counts(errorsTotal));
            if (!otherFrames.isEmpty() || socketsClosed.sum() > 0) {
                System.out.printf("  other frames %s, sockets closed by the server %d%n", counts(otherFrames),
                        socketsClosed.sum());
            }
            System.out.printf("  targets (2 cores): ack p95 ≤ 15 ms %s, fan-out p95 ≤ 25 ms %s%n",
                    verdict(acks, 15), verdict(fanOut, 25));
        }

        private static String verdict(long[] sorted, double targetMs) {
            if (sorted.length == 0) {
                return "n/a";
            }
            double p95 = Samples.ms(sorted, 0.95);
            return String.format("%s (%.2f ms)", p95 <= targetMs ? "MET" : "NOT MET", p95);
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
            String token = stack.mint("bench-rt-" + UUID.randomUUID(), false);
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

        /**
         * One player's socket and walk: seq s (from 1) steps to x0 + direction when odd, back to x0 when even, so the
         * tile a delta names tells which moves it can answer whatever was acknowledged in between.
         */
        private final class Session implements WebSocket.Listener {
            final Player player;
            private final StringBuilder partial = new StringBuilder();
            private WebSocket socket;
            private final CompletableFuture<String> connectionId = new CompletableFuture<>();
            int x0;
            volatile int x;
            volatile int y;
            int direction = 1;
            /** The due time of each seq (0: not sent). */
            volatile long[] sentAt;
            /** seq → answered: for open loop's unanswered count. */
            private final java.util.BitSet answered = new java.util.BitSet();
            private volatile long lastSent;
            /** Open loop: a refused seq to send again next (0: none), as a real client resends from it. */
            private final java.util.concurrent.atomic.AtomicLong rewindTo = new java.util.concurrent.atomic.AtomicLong();
            private volatile CompletableFuture<Reply> pending;
            private volatile long pendingSeq;
            /** Per mover, the last of its seqs this viewer matched a delta to. */
            private final Map<Session, Long> lastMatched = new ConcurrentHashMap<>();

            Session(Player player) {
                this.player = player;
            }

            void open(HttpClient client, int wsPort) throws Exception {
                URI uri = URI.create("ws://127.0.0.1:" + wsPort + "/local?sessionId="
                        + URLEncoder.encode(player.sessionId(), StandardCharsets.UTF_8) + "&token=" + player.token());
                socket = client.newWebSocketBuilder().buildAsync(uri, this).get(30, TimeUnit.SECONDS);
            }

            /** Asks for the snapshot, which names this socket's connection id (for the no-op post floor). */
            String connectionId() throws Exception {
                socket.sendText("{\"type\":\"resume\",\"lastSeq\":0}", true).get(5, TimeUnit.SECONDS);
                return connectionId.get(10, TimeUnit.SECONDS);
            }

            void close() {
                try {
                    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    socket.abort();
                }
            }

            private int targetX(long seq) {
                return seq % 2 == 1 ? x0 + direction : x0;
            }

            private void sendMove(long seq, long due) throws Exception {
                // A seq sent again keeps the due time of its first send: its latency includes the wait for the resend.
                if (sentAt[(int) seq] == 0) {
                    sentAt[(int) seq] = due;
                }
                lastSent = seq;
                if (inWindow(due)) {
                    movesSentMeasured.increment();
                }
                int dx = seq % 2 == 1 ? direction : -direction;
                socket.sendText("{\"type\":\"intent.move\",\"seq\":" + seq + ",\"dx\":" + dx + ",\"dy\":0}", true)
                        .get(5, TimeUnit.SECONDS);
            }

            /**
             * Open loop: the k-th move is due at first + k × period, sent then whatever is still unanswered. A refused
             * seq (transient: busy, database down; or out of order behind one) is sent again at the next due time and
             * the walk goes on from it, as a real client resends from the refused seq: otherwise one refusal turns
             * every later move of the session into SEQ_OUT_OF_ORDER.
             */
            void walkOpen(long first, long period, long end, int capacity) throws Exception {
                long seq = 1;
                for (long k = 1; k <= capacity && seq <= capacity; k++) {
                    long due = first + (k - 1) * period;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (due >= end || socket.isOutputClosed()) {
                        return;
                    }
                    long rewind = rewindTo.getAndSet(0);
                    if (rewind > 0 && rewind < seq) {
                        seq = rewind;
                    }
                    sendMove(seq, due);
                    seq++;
                }
            }

            boolean awaiting() {
                long last = lastSent;
                synchronized (answered) {
                    return answered.cardinality() < last;
                }
            }

            long unansweredInWindow() {
                long n = 0;
                long last = lastSent;
                synchronized (answered) {
                    for (long s = 1; s <= last; s++) {
                        if (!answered.get((int) s) && inWindow(sentAt[(int) s])) {
                            n++;
                        }
                    }
                }
                return n;
            }

            /** Closed loop: the next move only after the previous answer, at most one per period. */
            void walkClosed(long first, long period, long end, int capacity) throws Exception {
                long next = first;
                long seq = 1;
                while (seq <= capacity) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (System.nanoTime() >= end || socket.isOutputClosed()) {
                        return;
                    }
                    CompletableFuture<Reply> reply = new CompletableFuture<>();
                    pending = reply;
                    pendingSeq = seq;
                    long sent = System.nanoTime();
                    sendMove(seq, sent);
                    Reply r;
                    try {
                        r = reply.get(Math.max(0, ACK_TIMEOUT_NANOS - (System.nanoTime() - sent)), TimeUnit.NANOSECONDS);
                    } catch (TimeoutException e) {
                        r = new Reply(System.nanoTime(), "TIMEOUT(no answer in 5 s)", seq);
                        count(errorsTotal, r.code());
                        if (inWindow(sent)) {
                            count(errorsMeasured, r.code());
                        }
                    }
                    pending = null;
                    if (r.code() == null) {
                        seq++;
                    }
                    // A refused seq is not consumed: the next move reuses it (to the same tile). A timed-out one is
                    // resent (acknowledged again if it had been applied).
                    next += period;
                    long now = System.nanoTime();
                    if (now > next) {
                        long behind = (now - next) / period + 1;
                        if (inWindow(sent)) {
                            missedTicks.add(behind);
                        }
                        next += behind * period;
                    }
                }
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
                    case "event.ack" -> answer(frame.path("seq").asLong(-1), received, null);
                    case "event.error" -> answer(frame.path("seq").asLong(-1), received, frame.path("code").asText("?"));
                    case "event.state_delta" -> delta(frame, received);
                    case "event.snapshot" -> connectionId.complete(frame.path("connectionId").asText());
                    case "" -> {
                        // API Gateway's answer when the integration failed: {"message":"Internal server error",…}
                        String message = frame.path("message").asText("?");
                        CompletableFuture<Reply> p = pending;
                        if (p != null) {
                            p.complete(new Reply(received, "INTEGRATION: " + message, pendingSeq));
                        } else {
                            count(errorsTotal, "INTEGRATION: " + message);
                        }
                    }
                    default -> count(otherFrames, type);
                }
            }

            private void answer(long seq, long received, String code) {
                long[] due = sentAt;
                if (due == null || seq < 1 || seq >= due.length || due[(int) seq] == 0) {
                    count(otherFrames, "unsolicited " + (code == null ? "ack" : "error " + code));
                    return;
                }
                boolean first;
                synchronized (answered) {
                    first = !answered.get((int) seq);
                    if (code == null) {
                        answered.set((int) seq);
                    }
                }
                boolean measured = inWindow(due[(int) seq]);
                if (code == null) {
                    if (first) {
                        acksTotal.increment();
                        x = targetX(seq);
                        if (measured) {
                            acksMeasured.increment();
                            ackLatencies.add(received - due[(int) seq]);
                            expectedDeltasMeasured.add(inView(this));
                        }
                    }
                } else {
                    count(errorsTotal, code);
                    if (measured) {
                        count(errorsMeasured, code);
                    }
                    if (open) {
                        if (RESENT.contains(code)) {
                            // sent again from this seq (walkOpen); its ack then counts, from its first due time
                            rewindTo.accumulateAndGet(seq, (a, b) -> a == 0 ? b : Math.min(a, b));
                        } else {
                            synchronized (answered) {
                                answered.set((int) seq);
                            }
                        }
                    }
                }
                CompletableFuture<Reply> p = pending;
                if (p != null && seq == pendingSeq) {
                    p.complete(new Reply(received, code, seq));
                }
            }

            /**
             * Times a delta against the move it answers. Only steady pairs are timed: a mover that is in this viewer's
             * view whichever of their two tiles each stands on, so every one of its moves reaches this viewer and the
             * deltas answer its seqs one after another. At the edge of view a viewer sees only some of a mover's moves,
             * and the first unmatched seq with the same tile can be one it never saw, seconds older: timing those
             * once gave a fan-out p99 of 2 s and a max of 24 s that were the driver's, not the server's.
             */
            private void delta(JsonNode frame, long received) {
                deltasTotal.increment();
                Session mover = byCharacter.get(frame.path("characterId").asText());
                if (mover == null || mover.sentAt == null || frame.path("y").asInt() != mover.y) {
                    deltasUnmatched.increment();
                    return;
                }
                if (!steadyInView(mover)) {
                    deltasEdge.increment();
                    return;
                }
                int tx = frame.path("x").asInt();
                long[] due = mover.sentAt;
                long s = lastMatched.getOrDefault(mover, 0L) + 1;
                if (s <= Math.min(mover.lastSent, due.length - 1) && mover.targetX(s) == tx && due[(int) s] != 0
                        && due[(int) s] <= received) {
                    lastMatched.put(mover, s);
                    if (inWindow(due[(int) s])) {
                        deltasMeasured.increment();
                        fanOutLatencies.add(received - due[(int) s]);
                    }
                    return;
                }
                deltasUnmatched.increment();
            }

            /** Both in view on every pair of their tiles (each is on x0 or x0 + direction; y does not change). */
            private boolean steadyInView(Session mover) {
                if (!mover.player.instanceId().equals(player.instanceId()) || Math.abs(mover.y - y) > VIEW_RADIUS) {
                    return false;
                }
                int near = Math.max(Math.abs(mover.x0 - x0), Math.abs(mover.x0 + mover.direction - x0 - direction));
                int far = Math.max(Math.abs(mover.x0 + mover.direction - x0), Math.abs(mover.x0 - x0 - direction));
                return Math.max(near, far) <= VIEW_RADIUS;
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
}
