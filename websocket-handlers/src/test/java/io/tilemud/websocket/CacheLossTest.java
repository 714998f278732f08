package io.tilemud.websocket;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.context.ApplicationContext;
import io.tilemud.admission.AdmissionKeys;
import io.tilemud.admission.AdmissionResult;
import io.tilemud.cache.CacheConnection;
import io.tilemud.embedded.LocalLambdaContext;
import io.tilemud.embedded.testing.SharedTestInfra;
import io.tilemud.error.ErrorCode;
import io.tilemud.queue.QueueService;
import io.tilemud.queue.QueueStatus;
import io.tilemud.session.SessionState;
import io.tilemud.session.SessionStore;
import io.tilemud.websocket.connect.ConnectHandler;
import io.tilemud.websocket.connect.DisconnectHandler;
import io.tilemud.websocket.realtime.IntentHandler;
import io.tilemud.websocket.support.GameFixture;
import io.tilemud.websocket.support.RecordingMessenger;
import io.tilemud.websocket.support.WebSocketEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue: Redis back empty (an ElastiCache failover or replacement) let two more players onto a full instance, lost
 * the queue silently and admitted a playing character to a second instance. The ledger is now rebuilt from the
 * durable connection registry before any admission is decided: here Redis is emptied (data and scripts) mid-play.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CacheLossTest {
    private final RecordingMessenger messenger = new RecordingMessenger();
    private ApplicationContext context;
    private GameFixture game;
    private ConnectHandler connect;
    private DisconnectHandler disconnect;
    private IntentHandler intents;

    @BeforeAll
    void start() {
        context = ApplicationContext.builder().properties(new HashMap<>(SharedTestInfra.get().properties()))
                .singletons(messenger).start();
        game = new GameFixture(context);
        connect = new ConnectHandler(context);
        disconnect = new DisconnectHandler(context);
        intents = new IntentHandler(context);
    }

    @AfterAll
    void stop() {
        context.close();
    }





    private JsonNode send(String connectionId, String body) {
        String type = body.replaceAll(".*\"type\":\"([^\"]+)\".*", "$1");
        intents.handleRequest(WebSocketEvents.message(connectionId, type, body), new LocalLambdaContext());
        return messenger.nextReply(connectionId);
    }

    /** What a replaced, empty Redis looks like: no keys, no loaded scripts. */
    private void emptyTheCache() {
        RedisCommands<String, String> redis = context.getBean(CacheConnection.class).current().orElseThrow().sync();
        redis.flushall();
        redis.scriptFlush();
    }

    private long slots(String instanceId) {
        return context.getBean(CacheConnection.class).current().orElseThrow().sync().zcard(AdmissionKeys.slots(instanceId));
    }

    @Test
    void cacheReplacedByAnEmptyOne_midPlay_capacityAndOneSessionPerCharacterHoldAndTheQueueSaysItWasReset()
            throws Exception {
        // GIVEN a capacity-2 instance with A and B playing and C queued
        GameFixture.FullInstance full = game.fullInstanceWithOneQueued();
        String world = full.instanceId();
        GameFixture.Player a = full.a();
        GameFixture.Player c = full.c();
        GameFixture.Playing aPlays = full.aPlays();
        assertEquals("event.ack", send(aPlays.connectionId(), "{\"type\":\"intent.move\",\"seq\":1,\"dx\":1,\"dy\":0}").get("type").asText());
        // WHEN the cache comes back empty
        emptyTheCache();
        // AND ten newcomers rush the instance at once
        List<GameFixture.Player> rush = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rush.add(game.player("Rush" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<AdmissionResult>> results = new ArrayList<>();
        for (GameFixture.Player p : rush) {
            results.add(pool.submit((Callable<AdmissionResult>) () -> game.admit(p, world)));
        }
        int admitted = 0;
        for (Future<AdmissionResult> r : results) {
            AdmissionResult result = r.get();
            admitted += result instanceof AdmissionResult.Admitted ? 1 : 0;
            assertTrue(result instanceof AdmissionResult.Queued || result instanceof AdmissionResult.Rejected rej
                    && rej.reason() == ErrorCode.SERVICE_DEGRADED, result.toString());
        }
        pool.shutdown();
        // THEN nobody got in: A and B still hold both slots, restored from the connection registry
        assertEquals(0, admitted);
        assertEquals(2, slots(world));
        SessionStore sessions = context.getBean(SessionStore.class);
        assertEquals(Optional.of(SessionState.ACTIVE), sessions.find(aPlays.sessionId()).map(s -> s.state()));
        // AND A, still playing here, cannot be admitted to a second instance (ADM-08)
        AdmissionResult elsewhere = game.admit(a, game.instance(10));
        assertEquals(ErrorCode.ALREADY_IN_SESSION, assertInstanceOf(AdmissionResult.Rejected.class, elsewhere).reason());
        // AND A keeps playing on the same session
        assertEquals("event.ack", send(aPlays.connectionId(), "{\"type\":\"intent.move\",\"seq\":2,\"dx\":1,\"dy\":0}").get("type").asText());
        // AND C, whose place the loss took, is told so with a distinct, retryable code (not a silent "not queued")
        QueueStatus lost = context.getBean(QueueService.class).status(c.subject(), world, c.characterId().toString());
        assertEquals(new QueueStatus.Refused(ErrorCode.QUEUE_RESET, null), lost);
        assertTrue(ErrorCode.QUEUE_RESET.isTransient());
        // AND connecting again queues C anew (behind whoever queued since)
        assertInstanceOf(AdmissionResult.Queued.class, game.admit(c, world));
    }

    @Test
    void cacheLost_restoredSessionGetsANewReconnectionTokenOnResume_andCanReconnectWithIt() {
        // GIVEN A playing, then the cache (and A's reconnection token with it) is lost
        String world = game.instance(5);
        GameFixture.Player a = game.player("Tok");
        GameFixture.Playing plays = game.playing(a, world);
        emptyTheCache();
        // WHEN A resumes on its socket (any admission call first rebuilds; a resume must work on its own too)
        game.admit(game.player("Trigger"), world);
        JsonNode snapshot = send(plays.connectionId(), "{\"type\":\"resume\",\"lastSeq\":0}");
        // THEN the frame carries a fresh token...
        String token = snapshot.path("reconnectionToken").asText();
        assertFalse(token.isEmpty(), snapshot.toString());
        // ...that brings A back after a drop
        disconnect.handleRequest(WebSocketEvents.disconnect(plays.connectionId()), new LocalLambdaContext());
        APIGatewayV2WebSocketResponse back = connect.handleRequest(WebSocketEvents.connect(UUID.randomUUID().toString(),
                a.subject(), Map.of("sessionId", plays.sessionId(), "reconnectionToken", token)), new LocalLambdaContext());
        assertEquals(200, back.getStatusCode(), back.getBody());
        assertNotNull(context.getBean(SessionStore.class).find(plays.sessionId()).orElse(null));
    }
}
