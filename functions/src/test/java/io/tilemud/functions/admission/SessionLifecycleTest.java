package io.tilemud.functions.admission;

import io.tilemud.admission.AdmissionKeys;
import io.tilemud.functions.admission.AdmissionFixtures.Player;
import io.tilemud.functions.support.HttpFunction;
import io.tilemud.functions.support.HttpResult;
import io.tilemud.instance.InstanceState;
import io.tilemud.session.Session;
import io.tilemud.session.SessionService;
import io.tilemud.session.SessionState;
import io.tilemud.session.SessionStore;
import io.tilemud.session.SessionTransition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.tilemud.functions.admission.AdmissionContractTest.assertBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Session lifecycle: pending → active → grace → active | gone, replacement (ADM-09) and reconnection (ADM-18). */
class SessionLifecycleTest {
    private final HttpFunction api = HttpFunction.shared();
    private final AdmissionFixtures fx = new AdmissionFixtures(api);
    private final MutableClock clock = api.bean(MutableClock.class);
    private final SessionService sessions = api.bean(SessionService.class);
    private final SessionStore store = api.bean(SessionStore.class);

    private HttpResult admittedAndActive(Player p, String instance) {
        HttpResult r = fx.connect(p, instance);
        assertEquals("success", r.json().get("outcome").asText(), r.body());
        assertInstanceOf(SessionTransition.Done.class, sessions.activate(r.json().get("sessionId").asText()));
        return r;
    }

    @Test
    void transitions_pendingActiveGraceReconnect_followTheLifecycle() {
        // GIVEN an admitted session
        Player p = fx.player();
        String instance = fx.instance(2, InstanceState.ACCEPTING);
        HttpResult admitted = fx.connect(p, instance);
        String sessionId = admitted.json().get("sessionId").asText();
        String token = admitted.json().get("reconnectionToken").asText();
        Session pending = store.find(sessionId).orElseThrow();
        assertEquals(SessionState.PENDING, pending.state());
        assertEquals(p.characterId(), pending.characterId());
        assertEquals(p.userId(), pending.userId());
        // WHEN / THEN $connect → active (no expiry)
        var active = (SessionTransition.Done) sessions.activate(sessionId);
        assertEquals(SessionState.ACTIVE, active.session().state());
        assertNull(active.session().expiresAt());
        // a second activate is refused: only pending sessions activate
        assertEquals(new SessionTransition.Refused(SessionState.ACTIVE), sessions.activate(sessionId));
        // unexpected $disconnect → grace for 60 s
        var grace = (SessionTransition.Done) sessions.disconnected(sessionId);
        assertEquals(SessionState.GRACE, grace.session().state());
        assertEquals(60, Duration.between(clock.instant(), grace.session().graceExpiresAt()).toSeconds(), 1);
        // a wrong token does not reconnect
        assertInstanceOf(SessionTransition.Refused.class, sessions.reconnect(sessionId, "wrong"));
        // the right token reconnects and is rotated (single use)
        var back = (SessionTransition.Done) sessions.reconnect(sessionId, token);
        assertEquals(SessionState.ACTIVE, back.session().state());
        assertNotEquals(token, back.session().reconnectionToken());
        sessions.disconnected(sessionId);
        assertInstanceOf(SessionTransition.Refused.class, sessions.reconnect(sessionId, token));
        assertEquals(1, fx.slots(instance));
    }

    @Test
    void reconnectViaConnect_withinGrace_restoresSessionAndRotatesToken() {
        // GIVEN an active session that dropped unexpectedly 59 s ago
        Player p = fx.player();
        String instance = fx.instance(1, InstanceState.ACCEPTING);
        HttpResult admitted = admittedAndActive(p, instance);
        String sessionId = admitted.json().get("sessionId").asText();
        String token = admitted.json().get("reconnectionToken").asText();
        sessions.disconnected(sessionId);
        clock.advance(Duration.ofSeconds(59));
        // WHEN the client reconnects with its token
        HttpResult again = fx.connect(p, instance, p.characterId().toString(), AdmissionFixtures.BUILD, token, null);
        // THEN same session, new token, the slot was never given away
        assertEquals("success", again.json().get("outcome").asText(), again.body());
        assertEquals(sessionId, again.json().get("sessionId").asText());
        assertNotEquals(token, again.json().get("reconnectionToken").asText());
        assertEquals(1, fx.slots(instance));
    }

    @Test
    void reconnect_afterGrace_failsAndSlotFreed() {
        // GIVEN a session in grace, and someone queued behind it
        Player p = fx.player();
        Player waiting = fx.player();
        String instance = fx.instance(1, InstanceState.ACCEPTING);
        HttpResult admitted = admittedAndActive(p, instance);
        String sessionId = admitted.json().get("sessionId").asText();
        String token = admitted.json().get("reconnectionToken").asText();
        assertEquals("queued", fx.connect(waiting, instance).json().get("outcome").asText());
        sessions.disconnected(sessionId);
        // WHEN grace is over (the waiting client kept polling)
        clock.advance(Duration.ofSeconds(45));
        fx.status(waiting, instance);
        clock.advance(Duration.ofSeconds(16));
        // THEN the token no longer reconnects: the session is gone on this very read (no janitor ran)
        assertInstanceOf(SessionTransition.Missing.class, sessions.reconnect(sessionId, token));
        assertTrue(store.find(sessionId).isEmpty());
        // AND the freed slot went to the queue head in the same step
        assertEquals("success", fx.status(waiting, instance).json().get("outcome").asText());
        // AND connecting with the stale token is a fresh admission attempt: queued behind the promoted player
        HttpResult late = fx.connect(p, instance, p.characterId().toString(), AdmissionFixtures.BUILD, token, null);
        assertBody("{\"outcome\":\"queued\",\"position\":0}", late);
    }

    @Test
    void replace_withValidToken_closesOldSessionAndAdmitsNewInItsSlot() {
        // GIVEN an active session, capacity 1, someone queued (who must not slip into the slot)
        Player p = fx.player();
        Player waiting = fx.player();
        String instance = fx.instance(1, InstanceState.ACCEPTING);
        String oldSession = admittedAndActive(p, instance).json().get("sessionId").asText();
        fx.connect(waiting, instance);
        HttpResult offer = fx.connect(p, instance);
        String replaceToken = offer.json().get("replaceToken").asText();
        // WHEN the second device re-sends with ?replaceToken=
        HttpResult replaced = fx.connect(p, instance, p.characterId().toString(), AdmissionFixtures.BUILD, null, replaceToken);
        // THEN a new session holds the same slot, the old one is gone and its socket was told (ADM-09)
        assertEquals("success", replaced.json().get("outcome").asText(), replaced.body());
        String newSession = replaced.json().get("sessionId").asText();
        assertNotEquals(oldSession, newSession);
        assertTrue(store.find(oldSession).isEmpty());
        assertEquals(newSession, api.bean(RecordingSessionEvents.class).replacementOf(oldSession));
        assertEquals(1, fx.slots(instance));
        assertEquals(1, fx.depth(instance));
        // AND the token was single use
        sessions.activate(newSession);
        HttpResult reuse = fx.connect(p, instance, p.characterId().toString(), AdmissionFixtures.BUILD, null, replaceToken);
        assertEquals("ALREADY_IN_SESSION", reuse.json().get("reason").asText());
        assertEquals(newSession, store.find(newSession).orElseThrow().sessionId());
    }

    @Test
    void replace_notResent_keepsOldSession() {
        Player p = fx.player();
        String instance = fx.instance(1, InstanceState.ACCEPTING);
        String oldSession = admittedAndActive(p, instance).json().get("sessionId").asText();
        // WHEN the second device is offered a replace token but declines (does nothing)
        fx.connect(p, instance);
        // THEN the old session stays active
        assertEquals(SessionState.ACTIVE, store.find(oldSession).orElseThrow().state());
        assertEquals(1, fx.slots(instance));
    }

    @Test
    void replace_tokenOlderThan30s_refusedAndNewTokenOffered() {
        Player p = fx.player();
        String instance = fx.instance(1, InstanceState.ACCEPTING);
        String oldSession = admittedAndActive(p, instance).json().get("sessionId").asText();
        String replaceToken = fx.connect(p, instance).json().get("replaceToken").asText();
        // WHEN it is used after 31 s
        clock.advance(Duration.ofSeconds(31));
        HttpResult late = fx.connect(p, instance, p.characterId().toString(), AdmissionFixtures.BUILD, null, replaceToken);
        // THEN refused with a fresh offer; the old session kept
        assertEquals("ALREADY_IN_SESSION", late.json().get("reason").asText());
        assertNotEquals(replaceToken, late.json().get("replaceToken").asText());
        assertEquals(SessionState.ACTIVE, store.find(oldSession).orElseThrow().state());
    }

    @Test
    void connect_retriedWhilePending_returnsSameSession() {
        Player p = fx.player();
        String instance = fx.instance(3, InstanceState.ACCEPTING);
        HttpResult first = fx.connect(p, instance);
        HttpResult second = fx.connect(p, instance);
        assertEquals(first.json().get("sessionId"), second.json().get("sessionId"));
        assertEquals(1, fx.slots(instance));
        assertEquals(List.of(first.json().get("sessionId").asText()), fx.redis().hkeys(AdmissionKeys.sessions(instance)));
    }
}
