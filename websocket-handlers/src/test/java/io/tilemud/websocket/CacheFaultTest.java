package io.tilemud.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micronaut.context.ApplicationContext;
import io.tilemud.admission.AdmissionRequest;
import io.tilemud.admission.AdmissionResult;
import io.tilemud.admission.AdmissionService;
import io.tilemud.cache.CacheConnection;
import io.tilemud.character.CharacterService;
import io.tilemud.character.CreateCharacterResult;
import io.tilemud.connection.ConnectionRecord;
import io.tilemud.connection.ConnectionRegistry;
import io.tilemud.embedded.EmbeddedRedis;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.testing.ProcessFaults;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.error.ErrorCode;
import io.tilemud.instance.InstanceService;
import io.tilemud.instance.InstanceState;
import io.tilemud.ops.ComponentStatus;
import io.tilemud.ops.HealthService;
import io.tilemud.realtime.ActionLog;
import io.tilemud.user.UserService;
import io.tilemud.websocket.realtime.IntentHandler;
import io.tilemud.queue.QueueService;
import io.tilemud.queue.QueueStatus;
import io.tilemud.websocket.support.GameFixture;
import io.tilemud.websocket.support.RecordingMessenger;
import io.tilemud.websocket.support.WebSocketEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RT-07 with a real Redis stalled by {@code SIGSTOP} mid-play (issue 11: every move took 2.03 s): the circuit breaker
 * ({@code tilemud.cache}) opens after a few calls, then moves cost no Redis wait at all and are still acknowledged
 * (the intent limiter fails open, as RT-07 wants), admission answers {@code SERVICE_DEGRADED} at once, {@code /health}
 * shows the cache DOWN; after {@code SIGCONT} probes close the breaker without a restart. Its own Redis, so the
 * stall touches no other test; a short {@code open-for} keeps the test fast.
 */
class CacheFaultTest {
    private static EmbeddedRedis redis;
    private static ApplicationContext context;
    private static final RecordingMessenger messenger = new RecordingMessenger();

    @BeforeAll
    static void start() throws Exception {
        redis = EmbeddedRedis.start(Files.createTempDirectory("tilemud-redis-fault-"));
        Map<String, Object> properties = new HashMap<>(SharedTestInfra.get().properties());
        properties.put("redis.uri", redis.url());
        // long enough that no probe falls inside the stall on a slow machine, short enough to recover quickly
        properties.put("tilemud.cache.open-for", "1500ms");
        context = ApplicationContext.builder().properties(properties).singletons(messenger).start();
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void moves_redisStalled_breakerOpensMovesUnder100msAcked_admissionDegraded_recoversAfterSigcont() {
        // GIVEN a player moving with the cache up
        String connectionId = UUID.randomUUID().toString();
        String sessionId = "s-" + UUID.randomUUID();
        String instance = "cf-" + UUID.randomUUID().toString().substring(0, 8);
        context.getBean(InstanceService.class).upsert(instance, 10, "dev", InstanceState.ACCEPTING);
        UUID user = context.getBean(UserService.class).ensureUser("cf-" + UUID.randomUUID()).id();
        var character = ((CreateCharacterResult.Created) context.getBean(CharacterService.class).create(user, "Cached")).character();
        context.getBean(ConnectionRegistry.class).register(ConnectionRecord.connected(connectionId, sessionId, user.toString(),
                character.id().toString(), instance, "dev", Instant.now(), Instant.now().plusSeconds(600)));
        long[] seq = {1};
        CacheConnection cache = context.getBean(CacheConnection.class);
        assertEquals("event.ack", move(connectionId, seq).frame().get("type").asText());
        assertEquals(CircuitBreaker.State.CLOSED, cache.state());

        List<Long> stalledMillis = new ArrayList<>();
        long admissionMillis;
        AdmissionResult admission;
        ComponentStatus healthWhileStalled;
        // WHEN Redis stops answering (its socket stays open: every command would wait out the command timeout)
        try (ProcessFaults.Stall stall = ProcessFaults.stall(redis.server())) {
            for (int i = 0; i < 30; i++) {
                Reply r = move(connectionId, seq);
                assertEquals("event.ack", r.frame().get("type").asText(), "RT-07: play goes on: " + r.frame());
                stalledMillis.add(r.millis());
            }
            long t0 = System.nanoTime();
            admission = context.getBean(AdmissionService.class).admit(new AdmissionRequest("cf-" + UUID.randomUUID(),
                    instance, character.id().toString(), "dev", null, null));
            admissionMillis = (System.nanoTime() - t0) / 1_000_000;
            healthWhileStalled = context.getBean(HealthService.class).check().cache();
        }
        System.out.printf("[fault] redis SIGSTOP: move latencies (ms) %s; admission %s in %d ms%n", stalledMillis, admission,
                admissionMillis);
        // THEN only the calls that taught the breaker paid the command timeout; every later move was fast
        long slow = stalledMillis.stream().filter(ms -> ms >= 100).count();
        assertTrue(slow <= 3, "at most minimum-calls moves wait for Redis: " + stalledMillis);
        assertTrue(stalledMillis.subList(3, stalledMillis.size()).stream().allMatch(ms -> ms < 100), stalledMillis.toString());
        // AND admission said SERVICE_DEGRADED with a retry hint at once, and /health showed the cache DOWN
        assertTrue(admission instanceof AdmissionResult.Rejected r && r.reason() == ErrorCode.SERVICE_DEGRADED
                && r.retryAfterSeconds() != null, String.valueOf(admission));
        assertTrue(admissionMillis < 100, admissionMillis + " ms");
        assertEquals(ComponentStatus.DOWN, healthWhileStalled);
        // AND after SIGCONT the breaker's probes close it again, no restart: the client is told the cache is back
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (cache.state() != CircuitBreaker.State.CLOSED && System.nanoTime() < deadline) {
            move(connectionId, seq);
        }
        assertEquals(CircuitBreaker.State.CLOSED, cache.state());
        assertEquals(ComponentStatus.UP, context.getBean(HealthService.class).check().cache());
        // AND nothing acknowledged was lost: seqs are consecutive, so the last stored one covers them all
        assertEquals(seq[0] - 1, context.getBean(ActionLog.class).lastSeq(sessionId));
    }

    @Test
    void play_redisKilledThenBackEmptyOnItsPort_movesAckedThroughout_admissionDegradedThenInvariantsHoldWithoutRestart()
            throws Exception {
        // GIVEN a capacity-2 instance: A and B playing (admitted, connected through the $connect handler), C queued
        GameFixture game = new GameFixture(context);
        GameFixture.FullInstance full = game.fullInstanceWithOneQueued();
        String world = full.instanceId();
        GameFixture.Player a = full.a();
        GameFixture.Player c = full.c();
        GameFixture.Playing aPlays = full.aPlays();
        long[] seq = {1};
        assertEquals("event.ack", move(aPlays.connectionId(), seq).frame().get("type").asText());
        CacheConnection cache = context.getBean(CacheConnection.class);
        int port = redis.port();

        // WHEN the Redis process dies (SIGKILL: connection reset, then refused)
        ProcessFaults.kill(redis.server());
        redis.close();
        List<Long> downMillis = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Reply r = move(aPlays.connectionId(), seq);
            // THEN play goes on (RT-07): every move is still persisted and acknowledged, within the bound
            assertEquals("event.ack", r.frame().get("type").asText(), "RT-07: " + r.frame());
            downMillis.add(r.millis());
        }
        long t0 = System.nanoTime();
        AdmissionResult whileDown = game.admit(game.player("Killed D"), world);
        long admissionMillis = (System.nanoTime() - t0) / 1_000_000;
        // AND admission is refused transiently with a retry hint, at once (the breaker is open by now)
        assertTrue(whileDown instanceof AdmissionResult.Rejected r && r.reason() == ErrorCode.SERVICE_DEGRADED
                && r.retryAfterSeconds() != null, String.valueOf(whileDown));
        assertTrue(admissionMillis < 100, admissionMillis + " ms");
        assertTrue(downMillis.stream().allMatch(ms -> ms < 3000), downMillis.toString());

        // WHEN a new, empty Redis comes up on the same endpoint (an ElastiCache node replacement)
        redis = EmbeddedRedis.start(Files.createTempDirectory("tilemud-redis-fault-"), port);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        AdmissionResult d;
        GameFixture.Player newcomer = game.player("Killed E");
        do {
            d = game.admit(newcomer, world);
        } while (d instanceof AdmissionResult.Rejected r && r.reason() == ErrorCode.SERVICE_DEGRADED
                && System.nanoTime() < deadline);
        System.out.printf("[fault] redis SIGKILL: move latencies while down (ms) %s; admission %s in %d ms; "
                + "after restart: %s%n", downMillis, whileDown, admissionMillis, d);
        // THEN without any restart of the application the ledger was rebuilt from the connection registry:
        // the newcomer queues behind A and B instead of taking a third slot (capacity 2 holds)
        assertTrue(d instanceof AdmissionResult.Queued, String.valueOf(d));
        assertEquals(CircuitBreaker.State.CLOSED, cache.state());
        long slots = cache.call(r -> r.zcard(io.tilemud.admission.AdmissionKeys.slots(world)));
        assertEquals(2L, slots);
        // AND A, still playing here, cannot get a second session on another instance (ADM-08)
        String elsewhere = game.instance(10);
        AdmissionResult second = game.admit(a, elsewhere);
        assertTrue(second instanceof AdmissionResult.Rejected r && r.reason() == ErrorCode.ALREADY_IN_SESSION,
                String.valueOf(second));
        // AND C, whose queue place died with the server, is told so with a distinct transient code
        assertEquals(new QueueStatus.Refused(ErrorCode.QUEUE_RESET, null),
                context.getBean(QueueService.class).status(c.subject(), world, c.characterId().toString()));
        // AND A plays on, and every acknowledged move is stored (consecutive seqs: the last covers them all)
        assertEquals("event.ack", move(aPlays.connectionId(), seq).frame().get("type").asText());
        assertEquals(seq[0] - 1, context.getBean(ActionLog.class).lastSeq(aPlays.sessionId()));
    }




    private record Reply(JsonNode frame, long millis) {
    }

    /** One move; its answer skips the RT-07 notices (event.degraded DOWN/UP) the client gets on the way. */
    private static Reply move(String connectionId, long[] seq) {
        long dx = seq[0] % 2 == 1 ? 1 : -1;
        long t0 = System.nanoTime();
        new IntentHandler(context).handleRequest(WebSocketEvents.message(connectionId, "intent.move",
                "{\"type\":\"intent.move\",\"seq\":" + seq[0] + ",\"dx\":" + dx + ",\"dy\":0}"), new LocalLambdaContext());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        JsonNode frame;
        do {
            frame = messenger.next(connectionId);
        } while (frame.get("type").asText().equals("event.degraded"));
        if (frame.get("type").asText().equals("event.ack")) {
            seq[0]++;
        }
        return new Reply(frame, millis);
    }
}
