package io.tilemud.discord.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tilemud.discord.gateway.fake.FakeGateway;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gateway client against {@link FakeGateway} over real sockets: Discord's protocol with short heartbeat intervals
 * and a reconnect base delay of {@link #BASE} (Discord's 1 s scaled down) so the whole class runs in seconds.
 */
class GatewayClientTest {

    /**
     * Discord's 1 s base scaled down; large enough that the hello timeout (10 × base) never fires by accident on a
     * busy machine, small enough that the five-attempt backoff takes 1.55 s.
     */
    static final Duration BASE = Duration.ofMillis(50);
    /**
     * The interval for tests that are not about heartbeats: long enough that a starved test JVM never misses an ACK
     * window and reconnects spuriously (tests about heartbeats set a short one).
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** The client gives an open connection 10 × base to say HELLO; that timer shows up among the scheduled delays. */
    static final Duration HELLO_TIMEOUT = BASE.multipliedBy(10);
    static final String TOKEN = "fake-bot-token-do-not-log";

    static HttpClient http;
    final ObjectMapper json = new ObjectMapper();
    FakeGateway fake;
    RecordingScheduler scheduler;
    RecordingListener listener;
    GatewayClient client;

    @BeforeAll
    static void httpClient() {
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void closeHttp() {
        http.shutdownNow();
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        if (fake != null) {
            fake.close();
        }
    }

    /** Starts the fake and a client with the given heartbeat interval and jitter/re-identify random fraction. */
    GatewayClient connect(Duration heartbeat, double random) {
        fake = FakeGateway.start("127.0.0.1", 0, heartbeat);
        return startClient(random);
    }

    /** Starts a client against the already started fake. */
    GatewayClient startClient(double random) {
        scheduler = new RecordingScheduler();
        listener = new RecordingListener();
        GatewaySettings settings = new GatewaySettings(fake.url(), TOKEN, GatewayIntents.RELAY, BASE, 5);
        client = new GatewayClient(settings, http, Clock.systemUTC(), scheduler, listener, new FixedRandom(random));
        client.start();
        return client;
    }

    GatewayClient connectReady() {
        connect(HEARTBEAT, 0.5);
        awaitReady();
        return client;
    }

    void awaitReady() {
        Await.until("READY state", () -> client.state() == GatewayState.READY, () -> listener.states);
    }

    ObjectNode data(String key, String value) {
        return json.createObjectNode().put(key, value);
    }

    /** The reconnect waits the client scheduled after the first {@code skip} ones. */
    List<Duration> reconnectDelays(int skip) {
        return scheduler.delaysAfter(GatewayScheduler.Timer.RECONNECT, skip);
    }

    int reconnectsScheduled() {
        return scheduler.delays(GatewayScheduler.Timer.RECONNECT).size();
    }

    void assertDispatchedOnceInOrder() {
        List<Long> seqs = listener.sequences();
        assertEquals(LongStream.rangeClosed(1, seqs.size()).boxed().toList(), seqs, "every seq once, in order");
    }

    @Test
    void start_freshSession_identifiesWithTokenIntentsAndPropertiesThenReady() {
        // GIVEN a fake gateway / WHEN the client starts
        connectReady();

        // THEN it sent exactly one IDENTIFY with the token, the relay's intents and connection properties
        List<JsonNode> identifies = fake.received(2);
        assertEquals(1, identifies.size());
        JsonNode d = identifies.get(0).get("d");
        assertEquals(TOKEN, d.get("token").asText());
        assertEquals(1 | 1 << 7 | 1 << 9 | 1 << 15, d.get("intents").asInt());
        assertEquals(33409, GatewayIntents.RELAY);
        assertFalse(d.path("properties").path("os").asText().isEmpty());
        assertEquals("tilemud-relay", d.path("properties").path("browser").asText());
        assertEquals("tilemud-relay", d.path("properties").path("device").asText());
        // AND it went CONNECTING → IDENTIFYING → READY, delivering READY as dispatch 1 with the session it names
        assertEquals(List.of(GatewayState.CONNECTING, GatewayState.IDENTIFYING, GatewayState.READY), listener.states);
        assertEquals(List.of("READY"), listener.types());
        assertEquals(fake.sessionId().orElseThrow(), listener.dispatches.get(0).data().get("session_id").asText());
        assertEquals(fake.sessionId().orElseThrow(), client.sessionId());
        assertEquals(1, client.lastSequence());
        // AND the connection went to the configured URL with version and encoding
        assertEquals("/?v=10&encoding=json", fake.connectionAttempts().get(0).uri());
    }

    @Test
    void heartbeat_afterHello_firstAfterJitteredIntervalThenEveryIntervalAndAcked() {
        // GIVEN a 200 ms interval and a jitter draw of 0.25
        Duration interval = Duration.ofMillis(200);
        long helloAt = System.nanoTime();
        connect(interval, 0.25);
        awaitReady();

        // WHEN four heartbeats have gone out
        Await.until("4 heartbeats", () -> fake.received(1).size() >= 4);
        List<JsonNode> heartbeats = fake.received(1);

        // THEN the first was scheduled at interval × jitter (50 ms) and the following at the interval
        List<Duration> delays = scheduler.delays(GatewayScheduler.Timer.HEARTBEAT);
        assertEquals(Duration.ofMillis(50), delays.get(0));
        assertEquals(List.of(interval, interval, interval), delays.subList(1, 4));
        // AND each carried the last sequence (READY was 1); the ACKs kept the connection healthy
        heartbeats.forEach(beat -> assertEquals(1, beat.get("d").asLong()));
        assertEquals(1, fake.connectionAttempts().size());
        assertEquals(GatewayState.READY, client.state());
        assertTrue(System.nanoTime() - helloAt >= Duration.ofMillis(50 + 3 * 200).toNanos(),
                "four heartbeats cannot arrive faster than the schedule");
    }

    @Test
    void heartbeat_beforeFirstDispatch_sendsNullSequence() {
        // GIVEN a gateway that is slow to answer IDENTIFY, so no dispatch (and no sequence) exists yet
        fake = FakeGateway.start("127.0.0.1", 0, Duration.ofMillis(200));
        fake.faults().ignoreIdentify(true);
        startClient(0.0);

        // WHEN the client heartbeats while identifying
        Await.until("2 heartbeats", () -> fake.received(1).size() >= 2);

        // THEN the heartbeats carry null (Discord's "no sequence yet"), never 0, and the connection stays healthy
        fake.received(1).forEach(beat -> assertTrue(beat.get("d").isNull(), beat.toString()));
        assertEquals(GatewayState.IDENTIFYING, client.state());
        assertEquals(0, client.lastSequence());
        assertEquals(1, fake.connectionAttempts().size());
    }

    @Test
    void heartbeatRequest_op1_heartbeatsImmediately() {
        // GIVEN a ready client with a long interval, so no scheduled heartbeat is due soon
        connect(Duration.ofSeconds(30), 0.9);
        awaitReady();
        assertEquals(0, fake.received(1).size());

        // WHEN the gateway sends op 1
        assertTrue(fake.faults().requestHeartbeat());

        // THEN a heartbeat arrives at once with the last sequence
        Await.until("heartbeat", () -> fake.received(1).size() == 1);
        assertEquals(1, fake.received(1).get(0).get("d").asLong());
    }

    @Test
    void dispatch_severalEvents_deliveredOnceInSequenceOrderWithData() {
        // GIVEN a ready client
        connectReady();

        // WHEN the gateway dispatches three events
        fake.dispatch("VOICE_STATE_UPDATE", data("channel_id", "42"));
        fake.dispatch("MESSAGE_CREATE", data("content", "hello"));
        fake.dispatch("MESSAGE_CREATE", data("content", "again"));

        // THEN the listener sees them in order with their data and sequence numbers
        Await.until("4 dispatches", () -> listener.dispatches.size() == 4);
        assertEquals(List.of("READY", "VOICE_STATE_UPDATE", "MESSAGE_CREATE", "MESSAGE_CREATE"), listener.types());
        assertEquals("42", listener.dispatches.get(1).data().get("channel_id").asText());
        assertEquals("again", listener.dispatches.get(3).data().get("content").asText());
        assertDispatchedOnceInOrder();
        assertEquals(4, client.lastSequence());
    }

    @Test
    void connectionDrop_dispatchesDuringOutage_resumesWithSequenceAndReplaysEachOnce() {
        // GIVEN a ready client that has seen READY(1), A(2), B(3)
        connectReady();
        String session = client.sessionId();
        fake.dispatch("MESSAGE_CREATE", data("content", "A"));
        fake.dispatch("MESSAGE_CREATE", data("content", "B"));
        Await.until("A and B", () -> listener.dispatches.size() == 3);

        // WHEN the network drops, the first reconnect is refused, and two events happen during the outage
        fake.faults().refuseConnections(1);
        assertTrue(fake.faults().dropConnection());
        fake.dispatch("MESSAGE_CREATE", data("content", "C"));
        fake.dispatch("VOICE_STATE_UPDATE", data("channel_id", "7"));

        // THEN the client resumes the same session on the resume URL with seq 3 ...
        Await.until("RESUMED", () -> listener.count("RESUMED") == 1, () -> listener.types());
        List<JsonNode> resumes = fake.received(6);
        assertEquals(1, resumes.size());
        assertEquals(session, resumes.get(0).get("d").get("session_id").asText());
        assertEquals(3, resumes.get(0).get("d").get("seq").asLong());
        assertEquals(TOKEN, resumes.get(0).get("d").get("token").asText());
        assertEquals(1, fake.received(2).size(), "no second IDENTIFY");
        List<FakeGateway.ConnectionAttempt> attempts = fake.connectionAttempts();
        assertEquals(3, attempts.size());
        assertTrue(attempts.get(1).refused());
        assertEquals("/resume?v=10&encoding=json", attempts.get(2).uri());
        // ... after the backoff: attempt 1 waited the base, attempt 2 twice the base
        assertEquals(List.of(BASE, BASE.multipliedBy(2)), reconnectDelays(0));
        // AND the outage's events were replayed exactly once, in order, before RESUMED
        assertEquals(List.of("READY", "MESSAGE_CREATE", "MESSAGE_CREATE", "MESSAGE_CREATE", "VOICE_STATE_UPDATE",
                "RESUMED"), listener.types());
        assertEquals("C", listener.dispatches.get(3).data().get("content").asText());
        assertDispatchedOnceInOrder();
        assertEquals(6, client.lastSequence());
        assertEquals(session, client.sessionId());
        assertEquals(GatewayState.READY, client.state());
        assertEquals(List.of(GatewayState.CONNECTING, GatewayState.IDENTIFYING, GatewayState.READY,
                GatewayState.DISCONNECTED, GatewayState.CONNECTING, GatewayState.DISCONNECTED,
                GatewayState.CONNECTING, GatewayState.RESUMING, GatewayState.READY), listener.states);
    }

    @Test
    void resume_replayOverlapsSeenDispatches_duplicatesDropped() {
        // GIVEN a client that saw READY(1), A(2), B(3), and a gateway that replays two already-seen dispatches
        connectReady();
        fake.dispatch("MESSAGE_CREATE", data("content", "A"));
        fake.dispatch("MESSAGE_CREATE", data("content", "B"));
        Await.until("A and B", () -> listener.dispatches.size() == 3);
        fake.faults().replayOverlap(2);

        // WHEN the connection drops and one event is missed
        assertTrue(fake.faults().dropConnection());
        fake.dispatch("MESSAGE_CREATE", data("content", "C"));

        // THEN A and B, replayed again, are dropped; C and RESUMED arrive once
        Await.until("RESUMED", () -> listener.count("RESUMED") == 1);
        assertEquals(List.of("A", "B", "C"), listener.dispatches.stream().skip(1).limit(3)
                .map(d -> d.data().get("content").asText()).toList());
        assertEquals(5, listener.dispatches.size());
        assertDispatchedOnceInOrder();
    }

    @Test
    void reconnectOp7_closesWithNon1000AndResumesSameSession() {
        // GIVEN a ready client
        connectReady();
        String session = client.sessionId();

        // WHEN the gateway sends op 7
        assertTrue(fake.faults().sendReconnect());

        // THEN the client closed with a code that keeps the session (not 1000/1001) and resumed it
        Await.until("RESUMED", () -> listener.count("RESUMED") == 1);
        assertEquals(List.of(GatewayCloseCodes.CLIENT_RECONNECT), fake.clientCloseCodes());
        assertEquals(session, fake.received(6).get(0).get("d").get("session_id").asText());
        assertEquals(1, fake.received(2).size());
        assertEquals(GatewayState.READY, client.state());
        assertDispatchedOnceInOrder();
    }

    @Test
    void invalidSessionResumable_op9True_resumesSameSession() {
        // GIVEN a ready client that saw one event
        connectReady();
        String session = client.sessionId();
        fake.dispatch("MESSAGE_CREATE", data("content", "A"));
        Await.until("A", () -> listener.dispatches.size() == 2);

        // WHEN the gateway sends op 9 d:true
        assertTrue(fake.faults().sendInvalidSession(true));

        // THEN the client resumes with its session and sequence 2, without identifying again
        Await.until("RESUMED", () -> listener.count("RESUMED") == 1);
        JsonNode resume = fake.received(6).get(0).get("d");
        assertEquals(session, resume.get("session_id").asText());
        assertEquals(2, resume.get("seq").asLong());
        assertEquals(1, fake.received(2).size());
        assertNotEquals(1000, fake.clientCloseCodes().get(0));
        assertDispatchedOnceInOrder();
    }

    @Test
    void invalidSessionNotResumable_op9False_waitsOneToFiveBaseThenIdentifiesNewSession() {
        // GIVEN a ready client that saw one event, and a random draw of 0.5 (→ a wait of 1 + 4 × 0.5 = 3 × base)
        connectReady();
        String oldSession = client.sessionId();
        fake.dispatch("MESSAGE_CREATE", data("content", "A"));
        Await.until("A", () -> listener.dispatches.size() == 2);

        // WHEN the gateway sends op 9 d:false
        assertTrue(fake.faults().sendInvalidSession(false));

        // THEN after 3 × base the client identifies again (no RESUME), gets a new session, and its sequence restarts
        Await.until("second READY", () -> listener.count("READY") == 2);
        assertEquals(List.of(BASE.multipliedBy(3)), reconnectDelays(0));
        assertEquals(2, fake.received(2).size());
        assertEquals(0, fake.received(6).size());
        assertNotEquals(oldSession, client.sessionId());
        assertEquals(fake.sessionId().orElseThrow(), client.sessionId());
        assertEquals(List.of(1L, 2L, 1L), listener.sequences());
        assertEquals(1, client.lastSequence());
        assertEquals("/?v=10&encoding=json", fake.connectionAttempts().get(1).uri(), "identify on the gateway URL");
        // AND the new session's events flow
        fake.dispatch("MESSAGE_CREATE", data("content", "B"));
        Await.until("B", () -> listener.dispatches.size() == 4);
        assertEquals(2, listener.dispatches.get(3).seq());
    }

    @Test
    void zombie_noAckBetweenTwoHeartbeats_closesNon1000AndResumes() {
        // GIVEN a ready client whose connection stops acknowledging heartbeats
        connect(Duration.ofMillis(100), 0.0);
        awaitReady();
        String session = client.sessionId();
        assertTrue(fake.faults().dropAcks());

        // WHEN the next heartbeat finds the previous one unacknowledged
        Await.until("RESUMED", () -> listener.count("RESUMED") == 1, () -> listener.states);

        // THEN the client closed that connection with a resumable code and resumed the same session
        assertEquals(GatewayCloseCodes.CLIENT_RECONNECT, fake.clientCloseCodes().get(0));
        assertEquals(session, fake.received(6).get(0).get("d").get("session_id").asText());
        assertEquals(1, fake.received(2).size());
        assertEquals(2, fake.connectionAttempts().size());
        assertEquals(GatewayState.READY, client.state());
    }

    @Test
    void close4009_sessionTimedOut_identifiesAnew() {
        // GIVEN a ready client
        connectReady();
        String oldSession = client.sessionId();

        // WHEN the gateway closes with 4009 (session timed out)
        assertTrue(fake.faults().close(4009, "Session timed out"));

        // THEN the client reconnects to the gateway URL and identifies a new session instead of resuming
        Await.until("second READY", () -> listener.count("READY") == 2);
        assertEquals(2, fake.received(2).size());
        assertEquals(0, fake.received(6).size());
        assertNotEquals(oldSession, client.sessionId());
        assertEquals("/?v=10&encoding=json", fake.connectionAttempts().get(1).uri());
        assertEquals(List.of(BASE), reconnectDelays(0));
        assertTrue(listener.fatalCloses.isEmpty());
    }

    @Test
    void close4004_authenticationFailed_stopsFatalWithAlertAndNeverReconnects() {
        // GIVEN a ready client
        connectReady();
        // WHEN the gateway closes with 4004
        assertTrue(fake.faults().close(4004, "Authentication failed"));

        // THEN the client stops in STOPPED_FATAL and raises the alert callback once, with code and reason
        Await.until("fatal", () -> client.state() == GatewayState.STOPPED_FATAL);
        assertEquals(List.of("4004:Authentication failed"), listener.fatalCloses);
        // AND it scheduled no reconnect (only heartbeats may have been scheduled before the close), nor will it
        assertEquals(List.of(), reconnectDelays(0), scheduler.requests.toString());
        assertEquals(1, fake.connectionAttempts().size());
        assertTrue(listener.exhausted.isEmpty());
        assertEquals(GatewayState.STOPPED_FATAL, listener.states.get(listener.states.size() - 1));
        // AND close() afterwards changes nothing
        client.close();
        assertEquals(GatewayState.STOPPED_FATAL, client.state());
    }

    @Test
    void reconnect_fiveFailedReconnects_exhaustedAlertAfterBackoffOneTwoFourEightSixteen() {
        // GIVEN a ready client whose connection drops while the gateway refuses every new connection
        connectReady();
        fake.faults().refuseConnections(100);

        // WHEN the connection drops
        assertTrue(fake.faults().dropConnection());

        // THEN after five refused reconnects the client stops with the exhausted alert
        Await.until("exhausted", () -> client.state() == GatewayState.STOPPED_EXHAUSTED, () -> listener.states);
        assertEquals(List.of(5), listener.exhausted);
        List<FakeGateway.ConnectionAttempt> attempts = fake.connectionAttempts();
        assertEquals(6, attempts.size(), "the first connection and five reconnects");
        // AND the reconnects were scheduled at 1, 2, 4, 8, 16 × base ...
        List<Duration> backoff = reconnectDelays(0);
        assertEquals(List.of(BASE, BASE.multipliedBy(2), BASE.multipliedBy(4), BASE.multipliedBy(8),
                BASE.multipliedBy(16)), backoff);
        // ... and really waited that long: reconnect n+1 came at least 2^n × base after reconnect n
        for (int n = 1; n <= 4; n++) {
            long gap = attempts.get(n + 1).atNanos() - attempts.get(n).atNanos();
            Duration expected = BASE.multipliedBy(1L << n);
            assertTrue(gap >= expected.toNanos(), "gap " + n + " was " + gap / 1_000_000 + " ms, schedule " + expected);
            assertTrue(gap < expected.plusSeconds(1).toNanos(), "gap " + n + " was " + gap / 1_000_000 + " ms");
        }
        assertTrue(listener.fatalCloses.isEmpty());
    }

    @Test
    void reconnect_successAfterFailures_resetsAttemptCount() {
        // GIVEN a ready client; the first drop meets two refused reconnects, then a resume succeeds
        connectReady();
        fake.faults().refuseConnections(2);
        assertTrue(fake.faults().dropConnection());
        Await.until("first RESUMED", () -> listener.count("RESUMED") == 1);
        int reconnectsBefore = reconnectsScheduled();
        assertEquals(List.of(BASE, BASE.multipliedBy(2), BASE.multipliedBy(4)), reconnectDelays(0));

        // WHEN the connection drops again
        assertTrue(fake.faults().dropConnection());

        // THEN the backoff starts over at the base delay
        Await.until("second RESUMED", () -> listener.count("RESUMED") == 2);
        assertEquals(List.of(BASE), reconnectDelays(reconnectsBefore));
        assertDispatchedOnceInOrder();
    }

    @Test
    void fragments_framesSplitAcrossContinuations_reassembledBeforeParsing() {
        // GIVEN a gateway that splits every frame (HELLO and READY included) into three fragments
        fake = FakeGateway.start("127.0.0.1", 0, HEARTBEAT);
        fake.faults().fragmentFrames(true);
        scheduler = new RecordingScheduler();
        listener = new RecordingListener();
        client = new GatewayClient(new GatewaySettings(fake.url(), TOKEN, GatewayIntents.RELAY, BASE, 5), http,
                Clock.systemUTC(), scheduler, listener, new FixedRandom(0.5));

        // WHEN the client connects and a large message is dispatched
        client.start();
        awaitReady();
        String content = "x".repeat(50_000);
        fake.dispatch("MESSAGE_CREATE", data("content", content));

        // THEN READY and the message arrive whole
        Await.until("message", () -> listener.dispatches.size() == 2);
        assertEquals(content, listener.dispatches.get(1).data().get("content").asText());
        assertDispatchedOnceInOrder();
    }

    @Test
    void close_readyClient_sendsNormalClosureAndNeverReconnects() {
        // GIVEN a ready client
        connectReady();

        // WHEN it is closed
        client.close();

        // THEN it told the gateway 1000 (the session may end) and stays closed
        Await.until("close frame", () -> !fake.clientCloseCodes().isEmpty());
        assertEquals(List.of(1000), fake.clientCloseCodes());
        assertEquals(GatewayState.CLOSED, client.state());
        assertEquals(1, fake.connectionAttempts().size());
        assertFalse(fake.connected());
    }

    @Test
    void start_calledTwice_rejected() {
        connectReady();
        assertThrows(IllegalStateException.class, client::start);
        assertEquals(1, fake.connectionAttempts().size());
    }

    @Test
    void listener_throws_clientCarriesOn() {
        // GIVEN a listener that fails on the first message
        fake = FakeGateway.start("127.0.0.1", 0, HEARTBEAT);
        scheduler = new RecordingScheduler();
        listener = new RecordingListener() {
            @Override
            public void onDispatch(GatewayDispatch dispatch) {
                super.onDispatch(dispatch);
                if (dispatch.seq() == 2) {
                    throw new IllegalStateException("listener bug");
                }
            }
        };
        client = new GatewayClient(new GatewaySettings(fake.url(), TOKEN, GatewayIntents.RELAY, BASE, 5), http,
                Clock.systemUTC(), scheduler, listener, new FixedRandom(0.5));
        client.start();
        awaitReady();

        // WHEN two messages arrive
        fake.dispatch("MESSAGE_CREATE", data("content", "boom"));
        fake.dispatch("MESSAGE_CREATE", data("content", "fine"));

        // THEN the second still arrives on the same connection
        Await.until("second message", () -> listener.dispatches.size() == 3);
        assertEquals(1, fake.connectionAttempts().size());
        assertNotNull(listener.dispatches.get(2).data());
        assertEquals(GatewayState.READY, client.state());
    }

    @ParameterizedTest(name = "close {0} → {1}")
    @CsvSource({
            "4000, RESUME", "4001, RESUME", "4002, RESUME", "4003, RESUME", "4005, RESUME", "4008, RESUME",
            "4007, IDENTIFY", "4009, IDENTIFY",
            "4004, FATAL", "4010, FATAL", "4011, FATAL", "4012, FATAL", "4013, FATAL", "4014, FATAL"})
    void serverClose_eachDiscordCode_resumesIdentifiesOrStops(int code, String expected) {
        // GIVEN a ready client that saw one event
        connectReady();
        String session = client.sessionId();
        fake.dispatch("MESSAGE_CREATE", data("content", "A"));
        Await.until("A", () -> listener.dispatches.size() == 2);

        // WHEN the gateway closes with the code
        assertTrue(fake.faults().close(code, "code " + code));

        // THEN the client does what Discord's close-code table says
        switch (expected) {
            case "RESUME" -> {
                Await.until("RESUMED", () -> listener.count("RESUMED") == 1, () -> listener.types());
                assertEquals(session, fake.received(6).get(0).get("d").get("session_id").asText());
                assertEquals(2, fake.received(6).get(0).get("d").get("seq").asLong());
                assertEquals(1, fake.received(2).size());
                assertDispatchedOnceInOrder();
            }
            case "IDENTIFY" -> {
                Await.until("second READY", () -> listener.count("READY") == 2, () -> listener.types());
                assertEquals(0, fake.received(6).size());
                assertEquals(2, fake.received(2).size());
                assertNotEquals(session, client.sessionId());
                assertEquals(1, client.lastSequence());
            }
            default -> {
                Await.until("fatal", () -> client.state() == GatewayState.STOPPED_FATAL);
                assertEquals(List.of(code + ":code " + code), listener.fatalCloses);
                assertEquals(1, fake.connectionAttempts().size());
                assertEquals(List.of(), reconnectDelays(0));
                assertNull(client.sessionId());
            }
        }
        assertTrue(listener.exhausted.isEmpty());
    }

    @Test
    void resume_sessionExpiredWhileAway_invalidSessionThenIdentifiesAnew() {
        // GIVEN a ready client whose connection drops and whose session Discord times out meanwhile
        connectReady();
        String oldSession = client.sessionId();
        assertTrue(fake.faults().dropConnection());
        assertTrue(fake.faults().expireSession());

        // WHEN the client tries to resume
        Await.until("second READY", () -> listener.count("READY") == 2, () -> listener.types());

        // THEN the gateway answered RESUME with op 9 d:false and the client identified a new session on the gateway URL
        assertEquals(1, fake.received(6).size());
        assertEquals(2, fake.received(2).size());
        assertNotEquals(oldSession, client.sessionId());
        List<FakeGateway.ConnectionAttempt> attempts = fake.connectionAttempts();
        assertEquals("/resume?v=10&encoding=json", attempts.get(1).uri());
        assertEquals("/?v=10&encoding=json", attempts.get(2).uri());
        assertEquals(List.of(1L, 1L), listener.sequences());
        assertTrue(listener.states.contains(GatewayState.RESUMING));
        assertEquals(GatewayState.READY, client.state());
    }

    @Test
    void hello_neverSent_abandonsConnectionAfterTimeoutAndReconnects() {
        // GIVEN a gateway that accepts connections but never says HELLO
        fake = FakeGateway.start("127.0.0.1", 0, HEARTBEAT);
        fake.faults().withholdHello(true);
        startClient(0.5);
        Await.until("first connection", () -> fake.connectionAttempts().size() == 1);

        // WHEN the hello timeout passes; the gateway then behaves again
        Await.until("hello timeout", () -> listener.states.contains(GatewayState.DISCONNECTED), () -> listener.states);
        fake.faults().withholdHello(false);

        // THEN the client closed the silent connection with a resumable code and reconnected to a working one
        awaitReady();
        assertEquals(GatewayCloseCodes.CLIENT_RECONNECT, fake.clientCloseCodes().get(0));
        assertEquals(2, fake.connectionAttempts().size());
        assertEquals(List.of(HELLO_TIMEOUT, HELLO_TIMEOUT), scheduler.delays(GatewayScheduler.Timer.HELLO_TIMEOUT));
        assertEquals(List.of(BASE), reconnectDelays(0));
        assertEquals(1, fake.received(2).size());
    }
}
