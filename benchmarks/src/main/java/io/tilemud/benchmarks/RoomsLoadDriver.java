package io.tilemud.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Rooms under load (ROOM-02, ROOM-03), through the whole local stack in this JVM: R rooms × 4 members, each member
 * on its own game WebSocket, each writing a {@code room.chat} every interval. Measures room-event fan-out: a line
 * sent → its {@code chat.message} received by each member (same JVM, same {@link System#nanoTime()}).
 *
 * <p>Then the slow-consumer experiment: one member of room 0 stops reading; 32 KiB frames are posted to its socket
 * through the management API until the emulator closes it (over 1 MiB unsent). Reported: how long and how many
 * bytes it took, whether its {@code $disconnect} ran, and the fan-out percentiles of every other member meanwhile.
 *
 * <p>Arguments: rooms (250), measured seconds (30), chat interval ms (2000), warm-up seconds (5).
 */
public final class RoomsLoadDriver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RoomsLoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        int rooms = args.length > 0 ? Integer.parseInt(args[0]) : 250;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        long intervalMs = args.length > 2 ? Long.parseLong(args[2]) : 2000;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        int status = 0;
        try (StackProcess stack = StackProcess.start()) {
            new RoomsLoadDriver.Run(stack, rooms, seconds, intervalMs, warmup).run();
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    /** The drivers' shared percentiles (nearest rank), with the sample count first. */
    private static String percentiles(Samples samples) {
        long[] s = samples.sorted();
        return "n=" + s.length + " " + Samples.percentiles(s);
    }

    private static final class Run {
        private final StackProcess stack;
        private final int rooms;
        private final int seconds;
        private final long intervalMs;
        private final int warmup;
        private final String base;
        private final HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        /** Which phase a received line is counted in: 0 none, 1 steady state, 2 slow-consumer flood. */
        private volatile int phase;
        private final Samples steady = new Samples();
        private final Samples duringFlood = new Samples();
        private final LongAdder linesSent = new LongAdder();
        private final LongAdder linesReceived = new LongAdder();
        private final LongAdder errors = new LongAdder();
        private final java.util.concurrent.ConcurrentHashMap<String, LongAdder> errorCodes = new java.util.concurrent.ConcurrentHashMap<>();

        Run(StackProcess stack, int rooms, int seconds, long intervalMs, int warmup) {
            this.stack = stack;
            this.rooms = rooms;
            this.seconds = seconds;
            this.intervalMs = intervalMs;
            this.warmup = warmup;
            this.base = stack.base();
        }

        void run() throws Exception {
            String admin = stack.mint("bench-admin", true);
            int instances = Math.max(1, rooms * 4 / 100);
            for (int i = 0; i < instances; i++) {
                HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(base + "/admin/instances/bench-room-" + i))
                        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"capacity\":100000,\"build\":\"dev\",\"state\":\"ACCEPTING\"}")));
                if (put.statusCode() / 100 != 2) {
                    throw new IllegalStateException("instance: " + put.body());
                }
            }
            System.out.printf("setting up %d rooms × 4 members (character, admission, WebSocket, room)…%n", rooms);
            long setupStarted = System.nanoTime();
            List<HttpClient> wsClients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                wsClients.add(HttpClient.newHttpClient());
            }
            List<Member> all = new ArrayList<>();
            try (ExecutorService setup = Executors.newFixedThreadPool(16)) {
                List<Future<List<Member>>> made = new ArrayList<>();
                for (int r = 0; r < rooms; r++) {
                    int room = r;
                    made.add(setup.submit(() -> room(room, "bench-room-" + (room % instances), wsClients.get(room % 4))));
                }
                for (Future<List<Member>> f : made) {
                    all.addAll(f.get());
                }
            }
            System.out.printf("%d members connected in %d rooms in %.1f s%n", all.size(), rooms,
                    (System.nanoTime() - setupStarted) / 1e9);
            AtomicBoolean running = new AtomicBoolean(true);
            Random phases = new Random(7);
            try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Member m : all) {
                    long offset = (long) (phases.nextDouble() * intervalMs);
                    load.submit(() -> m.chatLoop(offset, running));
                }
                Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
                phase = 1;
                System.out.printf("measuring %d s: %d members × 1 line / %d ms (%.0f lines/s, %.0f room events/s out)%n",
                        seconds, all.size(), intervalMs, all.size() * 1000.0 / intervalMs, all.size() * 4000.0 / intervalMs);
                long sentBefore = linesSent.sum();
                long receivedBefore = linesReceived.sum();
                long errorsBefore = errors.sum();
                StackProcess.Cpu cpuBefore = stack.cpu();
                stack.startProfile();
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                phase = 0;
                stack.stopProfile();
                StackProcess.Cpu cpu = stack.cpu().minus(cpuBefore);
                System.out.printf("server CPU: %.0f %% of a core; per line sent (with its 4 room events): %s; %s%n",
                        cpu.totalMs() / (seconds * 10.0), cpu.perOp(linesSent.sum() - sentBefore), StackProcess.loadavg());
                System.out.printf("steady state: %d lines sent, %d chat.message received (expected ×4 = %d), errors %d%n",
                        linesSent.sum() - sentBefore, linesReceived.sum() - receivedBefore,
                        (linesSent.sum() - sentBefore) * 4, errors.sum() - errorsBefore);
                System.out.println("errors by code (whole run): " + errorCodes);
                System.out.println("room-event fan-out (line sent → chat.message at each member): " + percentiles(steady));
                slowConsumer(all);
                running.set(false);
            }
            for (Member m : all) {
                m.socket.abort();
            }
        }

        /** One member of room 0 stops reading; frames pile up until the emulator disconnects it. */
        private void slowConsumer(List<Member> all) throws Exception {
            Member slow = all.get(3);
            slow.stopReading = true;
            String connectionId = slow.connectionId;
            String endpoint = stack.managementEndpoint();
            String frame = "{\"type\":\"bench.filler\",\"pad\":\"" + "x".repeat(32 * 1024 - 40) + "\"}";
            phase = 2;
            long started = System.nanoTime();
            long bytes = 0;
            int posts = 0;
            int status = 200;
            while (status == 200 && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30)) {
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(endpoint + "/@connections/" + connectionId))
                        .POST(HttpRequest.BodyPublishers.ofString(frame)));
                status = r.statusCode();
                if (status == 200) {
                    bytes += frame.length();
                    posts++;
                }
            }
            long closedAfter = System.nanoTime() - started;
            // Keep measuring the others for 5 s after the close as well.
            Thread.sleep(5000);
            phase = 0;
            // The emulator forgets a connection once it is closed; GET answers 410 from then on.
            boolean disconnected = send(HttpRequest.newBuilder(URI.create(endpoint + "/@connections/" + connectionId))
                    .GET()).statusCode() == 410;
            System.out.printf("slow consumer: closed after %.2f s and %d posts (%.1f MiB accepted; kernel socket buffers "
                            + "hold what the emulator's 1 MiB does not), last post answered %d, emulator forgot it (410): %s%n",
                    closedAfter / 1e9, posts, bytes / 1048576.0, status, disconnected);
            System.out.println("fan-out to the other members during the flood and 5 s after: " + percentiles(duringFlood));
        }

        private List<Member> room(int index, String instanceId, HttpClient wsClient) throws Exception {
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                members.add(member(index, i, instanceId, wsClient));
            }
            HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/rooms"))
                    .header("Authorization", "Bearer " + members.getFirst().token)
                    .POST(HttpRequest.BodyPublishers.noBody()));
            String invite = JSON.readTree(created.body()).get("inviteToken").asText();
            for (Member m : members.subList(1, 4)) {
                HttpResponse<String> joined = send(HttpRequest.newBuilder(URI.create(base + "/rooms/join"))
                        .header("Authorization", "Bearer " + m.token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"inviteToken\":\"" + invite + "\"}")));
                if (joined.statusCode() != 200) {
                    throw new IllegalStateException("join: " + joined.body());
                }
            }
            return members;
        }

        private Member member(int room, int seat, String instanceId, HttpClient wsClient) throws Exception {
            String token = stack.mint("bench-room-" + UUID.randomUUID(), false);
            String id = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/characters"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Talker\"}"))).body()).get("id").asText();
            send(HttpRequest.newBuilder(URI.create(base + "/me/active-character"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"characterId\":\"" + id + "\"}")));
            JsonNode admitted = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/instances/" + instanceId + "/connect"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"characterId\":\"" + id + "\",\"clientBuild\":\"dev\"}"))).body());
            Member m = new Member(room, seat, token);
            m.socket = wsClient.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + stack.wsPort
                    + "/local?sessionId=" + admitted.get("sessionId").asText() + "&token=" + token), m).get(10, TimeUnit.SECONDS);
            m.socket.sendText("{\"type\":\"resume\"}", true);
            m.connectionId = m.firstFrame.get(10, TimeUnit.SECONDS);
            return m;
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private final class Member implements WebSocket.Listener {
            final int room;
            final int seat;
            final String token;
            WebSocket socket;
            volatile String connectionId;
            volatile boolean stopReading;
            final CompletableFuture<String> firstFrame = new CompletableFuture<>();
            private final StringBuilder partial = new StringBuilder();

            Member(int room, int seat, String token) {
                this.room = room;
                this.seat = seat;
                this.token = token;
            }

            void chatLoop(long offsetMs, AtomicBoolean running) {
                try {
                    Thread.sleep(offsetMs);
                    while (running.get()) {
                        if (!stopReading) {
                            socket.sendText("{\"type\":\"room.chat\",\"text\":\"t" + System.nanoTime() + "\"}", true).join();
                            linesSent.increment();
                        }
                        Thread.sleep(intervalMs);
                    }
                } catch (Exception e) {
                    errors.increment();
                }
            }

            @Override
            public void onOpen(WebSocket webSocket) {
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                long now = System.nanoTime();
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    handle(text, now);
                }
                if (!stopReading) {
                    webSocket.request(1);
                }
                return null;
            }

            private void handle(String text, long now) {
                try {
                    JsonNode frame = JSON.readTree(text);
                    String type = frame.path("type").asText();
                    if (type.equals("event.resume") || type.equals("event.snapshot")) {
                        firstFrame.complete(frame.get("connectionId").asText());
                    } else if (type.equals("chat.message")) {
                        linesReceived.increment();
                        long sent = Long.parseLong(frame.get("text").asText().substring(1));
                        int p = phase;
                        if (p == 1) {
                            steady.add(now - sent);
                        } else if (p == 2) {
                            duringFlood.add(now - sent);
                        }
                    } else if (type.equals("event.error")) {
                        errors.increment();
                        errorCodes.computeIfAbsent(frame.path("code").asText("?"), c -> new LongAdder()).increment();
                    }
                } catch (Exception e) {
                    errors.increment();
                }
            }
        }
    }
}
