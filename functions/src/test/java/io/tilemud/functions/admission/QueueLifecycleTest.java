package io.tilemud.functions.admission;

import io.tilemud.admission.AdmissionKeys;
import io.tilemud.functions.admission.AdmissionFixtures.Player;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.instance.InstanceState;
import io.tilemud.queue.QueueJanitor;
import io.tilemud.session.SessionService;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.tilemud.functions.admission.AdmissionContractTest.assertBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FIFO queue: promotion on every release path (ADM-16), status (ADM-15), drain, full queue, abandonment (ADM-23). */
class QueueLifecycleTest {
    private final HttpFunction api = HttpFunction.shared();
    private final AdmissionFixtures fx = new AdmissionFixtures(api);
    private final MutableClock clock = api.bean(MutableClock.class);
    private final SessionService sessions = api.bean(SessionService.class);

    private String sessionOf(HttpResult r) {
        assertEquals("success", r.json().get("outcome").asText(), r.body());
        return r.json().get("sessionId").asText();
    }

    /** An instance of capacity 1 held by {@code holder}, with {@code waiting} queued behind in order. */
    private String fullInstanceWithQueue(Player holder, List<Player> waiting) {
        String instance = fx.instance(1, InstanceState.ACCEPTING);
        sessionOf(fx.connect(holder, instance));
        for (int i = 0; i < waiting.size(); i++) {
            assertBody("{\"outcome\":\"queued\",\"position\":" + i + "}", fx.connect(waiting.get(i), instance));
        }
        return instance;
    }

    private void assertPromoted(Player p, String instance) {
        HttpResult status = fx.status(p, instance);
        assertEquals(200, status.status(), status.body());
        assertEquals("success", status.json().get("outcome").asText(), status.body());
        assertTrue(status.json().get("reconnectionToken").asText().length() >= 40);
        // the promoted session is the one a retried connect gets (not a second one)
        assertEquals(status.json().get("sessionId").asText(), sessionOf(fx.connect(p, instance)));
    }

    private void assertWaitingAt(Player p, String instance, int position) {
        HttpResult status = fx.status(p, instance);
        assertEquals(200, status.status(), status.body());
        assertEquals("queued", status.json().get("outcome").asText(), status.body());
        assertEquals(position, status.json().get("position").asInt());
    }

    @Test
    void leave_sessionOwner_freesSlotAndPromotesHeadAtOnce() {
        // GIVEN a full instance with two queued
        Player holder = fx.player();
        Player first = fx.player();
        Player second = fx.player();
        String instance = fullInstanceWithQueue(holder, List.of(first, second));
        String sessionId = fx.redis().hkeys(AdmissionKeys.sessions(instance)).getFirst();
        // WHEN the holder leaves gracefully (ADM-19)
        HttpResult left = fx.leave(holder, sessionId);
        // THEN the head was promoted in the same step; the second moved up to 0
        assertEquals(204, left.status(), left.body());
        assertEquals(1, fx.slots(instance));
        assertPromoted(first, instance);
        assertWaitingAt(second, instance, 0);
    }

    @Test
    void leave_notOwner_answers404AndKeepsSession() {
        Player holder = fx.player();
        Player other = fx.player();
        String instance = fx.instance(1, InstanceState.ACCEPTING);
        String sessionId = sessionOf(fx.connect(holder, instance));
        // WHEN another user tries to end it
        HttpResult result = fx.leave(other, sessionId);
        // THEN refused like an unknown session (RT-12), slot kept
        assertEquals(404, result.status());
        assertEquals("NOT_FOUND", result.json().get("code").asText());
        assertEquals(1, fx.slots(instance));
    }

    @Test
    void pendingNeverConnected_after30s_slotFreedAndHeadPromotedOnNextRead() {
        // GIVEN an admitted-but-never-connected holder and one queued
        Player holder = fx.player();
        Player waiting = fx.player();
        String instance = fullInstanceWithQueue(holder, List.of(waiting));
        // WHEN 31 s pass (ADM-17) and the waiting client polls (it must also have polled within 60 s: it did)
        clock.advance(Duration.ofSeconds(31));
        // THEN the expiry is seen lazily on that read and the head promoted
        assertPromoted(waiting, instance);
        assertEquals(1, fx.slots(instance));
    }

    @Test
    void graceExpiry_after60s_slotFreedAndHeadPromoted() {
        // GIVEN an active holder who drops unexpectedly (grace), and one queued
        Player holder = fx.player();
        Player waiting = fx.player();
        String instance = fullInstanceWithQueue(holder, List.of(waiting));
        String sessionId = fx.redis().hkeys(AdmissionKeys.sessions(instance)).getFirst();
        sessions.activate(sessionId);
        sessions.disconnected(sessionId);
        // WHEN 30 s pass the slot is still kept
        clock.advance(Duration.ofSeconds(30));
        assertWaitingAt(waiting, instance, 0);
        // AND when grace (60 s) is over the waiting client is promoted
        clock.advance(Duration.ofSeconds(31));
        assertPromoted(waiting, instance);
    }

    @Test
    void inactivityRelease_realtimeLayer_promotesHead() {
        Player holder = fx.player();
        Player waiting = fx.player();
        String instance = fullInstanceWithQueue(holder, List.of(waiting));
        String sessionId = fx.redis().hkeys(AdmissionKeys.sessions(instance)).getFirst();
        // WHEN the realtime layer ends the session (RT-09 inactivity)
        sessions.release(sessionId, "inactivity");
        // THEN
        assertPromoted(waiting, instance);
    }

    @Test
    void janitor_expiredGraceNobodyCalling_promotesHead() {
        Player holder = fx.player();
        Player waiting = fx.player();
        String instance = fullInstanceWithQueue(holder, List.of(waiting));
        String sessionId = fx.redis().hkeys(AdmissionKeys.sessions(instance)).getFirst();
        sessions.activate(sessionId);
        sessions.disconnected(sessionId);
        clock.advance(Duration.ofSeconds(45));
        assertWaitingAt(waiting, instance, 0);
        clock.advance(Duration.ofSeconds(16));
        // WHEN only the janitor runs
        api.bean(QueueJanitor.class).sweepAll();
        // THEN the promotion already happened (the queue is empty, one pending session of the waiting player)
        assertEquals(0, fx.depth(instance));
        assertEquals(1, fx.slots(instance));
        assertTrue(fx.redis().hget(AdmissionKeys.CHARACTER_LOCKS, waiting.characterId().toString()).startsWith(instance + "|"));
    }

    @Test
    void drainMode_queuedEntriesStillPromotedFifo_newAttemptsRefused() {
        // GIVEN a full instance with two queued, then the operator drains it
        Player holder = fx.player();
        Player first = fx.player();
        Player second = fx.player();
        String instance = fullInstanceWithQueue(holder, List.of(first, second));
        fx.setState(instance, 1, InstanceState.DRAINING);
        // WHEN a newcomer tries / THEN DRAIN_MODE, not enqueued (ADM-11)
        assertBody("{\"outcome\":\"failed\",\"reason\":\"DRAIN_MODE\"}", fx.connect(fx.player(), instance));
        assertEquals(2, fx.depth(instance));
        // WHEN the holder leaves / THEN the queue keeps draining FIFO
        fx.leave(holder, fx.redis().hkeys(AdmissionKeys.sessions(instance)).getFirst());
        assertPromoted(first, instance);
        assertWaitingAt(second, instance, 0);
    }

    @Test
    void drainMode_reconnectWithinGrace_honoured() {
        Player p = fx.player();
        String instance = fx.instance(1, InstanceState.ACCEPTING);
        HttpResult admitted = fx.connect(p, instance);
        String sessionId = sessionOf(admitted);
        sessions.activate(sessionId);
        sessions.disconnected(sessionId);
        fx.setState(instance, 1, InstanceState.DRAINING);
        // WHEN reconnecting with the token while draining
        HttpResult again = fx.connect(p, instance, p.characterId().toString(), AdmissionFixtures.BUILD,
                admitted.json().get("reconnectionToken").asText(), null);
        // THEN the same session is restored
        assertEquals(sessionId, sessionOf(again));
    }

    @Test
    void connect_queueHolds1000_failsQueueFullDistinctFromCapacity() {
        // GIVEN a full instance whose queue holds 1000 entries (seeded directly: the script only counts them)
        Player holder = fx.player();
        String instance = fx.instance(1, InstanceState.ACCEPTING);
        sessionOf(fx.connect(holder, instance));
        long now = api.bean(MutableClock.class).millis();
        Map<String, Double> queue = new HashMap<>();
        Map<String, Double> polls = new HashMap<>();
        Map<String, String> meta = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            String cid = UUID.randomUUID().toString();
            queue.put(cid, (double) i + 1);
            polls.put(cid, (double) now);
            meta.put(cid, "{\"uid\":\"" + UUID.randomUUID() + "\",\"at\":" + now + "}");
        }
        var r = fx.redis();
        List<Object> scoredQueue = new ArrayList<>();
        queue.forEach((k, v) -> { scoredQueue.add(v); scoredQueue.add(k); });
        r.zadd(AdmissionKeys.queue(instance), scoredQueue.toArray());
        List<Object> scoredPolls = new ArrayList<>();
        polls.forEach((k, v) -> { scoredPolls.add(v); scoredPolls.add(k); });
        r.zadd(AdmissionKeys.polls(instance), scoredPolls.toArray());
        r.hset(AdmissionKeys.queued(instance), meta);
        r.set(AdmissionKeys.queueSeq(instance), "1000");
        // WHEN one more player tries
        Player late = fx.player();
        HttpResult result = fx.connect(late, instance);
        // THEN QUEUE_FULL, the queue unchanged
        assertBody("{\"outcome\":\"failed\",\"reason\":\"QUEUE_FULL\"}", result);
        assertEquals(1000, fx.depth(instance));
    }

    @Test
    void queuedCharacter_stopsPollingFor60s_losesPlace() {
        // GIVEN two queued; only the second keeps polling
        Player holder = fx.player();
        Player silent = fx.player();
        Player polling = fx.player();
        String instance = fullInstanceWithQueue(holder, List.of(silent, polling));
        sessions.activate(fx.redis().hkeys(AdmissionKeys.sessions(instance)).getFirst());
        clock.advance(Duration.ofSeconds(40));
        assertWaitingAt(polling, instance, 1);
        // WHEN 61 s have passed since the silent one last polled
        clock.advance(Duration.ofSeconds(21));
        // THEN the silent one is gone and the poller moved to the head (ADM-23)
        assertWaitingAt(polling, instance, 0);
        assertEquals(404, fx.status(silent, instance).status());
        // AND connecting again enqueues it at the back, as a newcomer
        assertBody("{\"outcome\":\"queued\",\"position\":1}", fx.connect(silent, instance));
    }

    @Test
    void connect_alreadyQueued_keepsPositionNeverQueuedTwice() {
        Player holder = fx.player();
        Player first = fx.player();
        Player second = fx.player();
        String instance = fullInstanceWithQueue(holder, List.of(first, second));
        // WHEN the first queued connects again
        assertBody("{\"outcome\":\"queued\",\"position\":0}", fx.connect(first, instance));
        // THEN
        assertEquals(2, fx.depth(instance));
    }

    @Test
    void queueStatus_afterPromotions_estimatesFromObservedRate() {
        // GIVEN one promotion observed, and three queued
        Player holder = fx.player();
        List<Player> waiting = List.of(fx.player(), fx.player(), fx.player(), fx.player());
        String instance = fullInstanceWithQueue(holder, waiting);
        fx.leave(holder, fx.redis().hkeys(AdmissionKeys.sessions(instance)).getFirst());
        // WHEN the third in line polls (now at position 1 after one promotion)
        HttpResult status = fx.status(waiting.get(2), instance);
        // THEN position/depth and an ETA of (position+1) / (1 promotion per 60 s minimum window) = 120 s
        assertBody("{\"outcome\":\"queued\",\"position\":1,\"depth\":3,\"estimatedWaitSeconds\":120}", status);
    }

    @Test
    void queueStatus_notQueuedOrNotOwner_answers404Or400() {
        Player p = fx.player();
        String instance = fx.instance(1, InstanceState.ACCEPTING);
        assertEquals(404, fx.status(p, instance).status());
        HttpResult bad = api.send(io.tilemud.functions.support.HttpEvents.get("/instances/" + instance
                + "/queue/status?characterId=" + fx.player().characterId()).bearer(p.token()));
        assertEquals(400, bad.status());
        assertEquals("NO_ACTIVE_CHARACTER", bad.json().get("code").asText());
    }
}
