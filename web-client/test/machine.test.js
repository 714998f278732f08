import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as M from '../public/core/machine.js';

/**
 * A tiny driver: the machine plus a fake clock and a fake timer table. Firing a timer advances the clock to it,
 * exactly as the shell's setTimeout would.
 */
function harness(opts = {}) {
  let state = M.initial({ build: 'dev', wsUrl: 'ws://h/local', token: 'TOK', ...opts });
  let now = 1_000_000;
  const timers = new Map(); // name -> due
  let effects = [];
  const stored = [];
  const h = {
    get s() { return state; },
    get now() { return now; },
    effects: () => effects,
    stored,
    timers,
    send(event) {
      const step = M.next(state, event, now);
      state = step.state;
      effects = step.effects;
      for (const e of effects) {
        if (e.type === 'timer') timers.set(e.name, now + e.ms);
        if (e.type === 'cancel') timers.delete(e.name);
        if (e.type === 'store') stored.push(e.value);
      }
      return h;
    },
    advance(ms) { now += ms; return h; },
    fire(name) {
      assert.ok(timers.has(name), `timer ${name} is not set (set: ${[...timers.keys()]})`);
      now = Math.max(now, timers.get(name));
      timers.delete(name);
      return h.send({ type: 'timer', name });
    },
    of(type) { return effects.filter((e) => e.type === type); },
    sent() { return effects.filter((e) => e.type === 'ws-send').map((e) => JSON.parse(e.data)); },
    http(req) { return effects.find((e) => e.type === 'http' && e.req === req); },
    answer(req, status, body, retryAfter = null) {
      return h.send({ type: 'http', req, attempt: state.attempt, status, body, retryAfter });
    },
    frame(obj) { return h.send({ type: 'ws-message', sock: state.sock, data: JSON.stringify(obj) }); },
  };
  return h;
}

const ME = 'me-1';
const snapshot = (o = {}) => ({ type: 'event.snapshot', reason: 'NEW_CONNECTION', lastSeq: 0,
  you: { characterId: ME, x: 5, y: 5 }, players: [], reconnectionToken: 'RT1', connectionId: 'C1', ...o });
const WORLD = { build: 'dev', protocol: 1, lastSeq: 0, character: { id: ME, name: 'Me', x: 5, y: 5 },
  world: { instanceId: 'w', width: 64, height: 64, walls: [[6, 6]] } };

/** idle → connecting → admitted → (socket open) → playing */
function playing(opts) {
  const h = harness(opts);
  h.send({ type: 'connect', instanceId: 'w', characterId: ME });
  h.answer('connect', 200, { outcome: 'success', sessionId: 'S1', reconnectionToken: 'RT0' });
  h.answer('bootstrap', 200, WORLD);
  h.send({ type: 'ws-open', sock: h.s.sock });
  h.frame(snapshot());
  assert.equal(h.s.status, 'playing');
  return h;
}

test('idle → connecting: POST connect with character and build, 10 s guard', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w-1', characterId: ME });
  assert.equal(h.s.status, 'connecting');
  assert.deepEqual(h.http('connect'), { type: 'http', req: 'connect', attempt: 1, method: 'POST',
    path: '/instances/w-1/connect', body: { characterId: ME, clientBuild: 'dev' } });
  assert.equal(h.timers.get('connect-timeout'), h.now + 10_000);
});

test('connect is ignored while a connection is under way', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME });
  h.send({ type: 'connect', instanceId: 'w', characterId: ME });
  assert.equal(h.s.attempt, 1);
  assert.deepEqual(h.effects(), []);
});

test('connecting → timeout after 10 s; the late answer is ignored', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME });
  const late = h.s.attempt;
  h.advance(9_999);
  assert.equal(h.s.status, 'connecting');
  h.fire('connect-timeout');
  assert.equal(h.s.status, 'timeout');
  h.send({ type: 'http', req: 'connect', attempt: late, status: 200, body: { outcome: 'success', sessionId: 'S' } });
  assert.equal(h.s.status, 'timeout');
  assert.equal(h.s.sessionId, null);
});

test('connecting → timeout when the server says timeout', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME }).answer('connect', 200, { outcome: 'timeout', reason: 'TIMEOUT' });
  assert.equal(h.s.status, 'timeout');
  assert.equal(h.timers.has('connect-timeout'), false);
});

test('connecting → admitted: session stored, socket opened with the subprotocol token, bootstrap asked', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME })
    .answer('connect', 200, { outcome: 'success', sessionId: 'S1', reconnectionToken: 'RT0' });
  assert.equal(h.s.status, 'admitted');
  const open = h.of('ws-open')[0];
  assert.equal(open.url, 'ws://h/local?sessionId=S1');
  assert.deepEqual(open.protocols, ['tilemud.v1', 'TOK']);
  assert.deepEqual(h.http('bootstrap').body, { instanceId: 'w' });
  assert.equal(h.timers.has('connect-timeout'), false);
  assert.ok(h.timers.has('ws-open-timeout'));
  assert.deepEqual(h.stored.at(-1), { sessionId: 'S1', reconnectionToken: 'RT0', lastAckedSeq: 0, nextSeq: 1,
    instanceId: 'w', characterId: ME, outbox: [] });
});

test('token in the query when the fallback switch is on', () => {
  const h = harness({ tokenInQuery: true }).send({ type: 'connect', instanceId: 'w', characterId: ME })
    .answer('connect', 200, { outcome: 'success', sessionId: 'S1' });
  assert.equal(h.of('ws-open')[0].url, 'ws://h/local?sessionId=S1&token=TOK');
  assert.deepEqual(h.of('ws-open')[0].protocols, []);
});

test('admitted: open sends resume with lastSeq; the snapshot makes it playing', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME })
    .answer('connect', 200, { outcome: 'success', sessionId: 'S1', reconnectionToken: 'RT0' });
  h.send({ type: 'ws-open', sock: h.s.sock });
  assert.deepEqual(h.sent(), [{ type: 'resume', lastSeq: 0 }]);
  assert.equal(h.timers.has('ws-open-timeout'), false);
  h.frame(snapshot({ players: [{ characterId: 'other', x: 7, y: 7 }] }));
  assert.equal(h.s.status, 'playing');
  assert.deepEqual(h.s.position, { x: 5, y: 5 });
  assert.equal(h.s.connectionId, 'C1');
  assert.equal(h.s.reconnectionToken, 'RT1', 'the token rotates with the first frame');
  assert.deepEqual(M.view(h.s), { status: 'playing', characterId: ME, instanceId: 'w', position: { x: 5, y: 5 },
    players: [{ characterId: 'other', x: 7, y: 7 }], lastAckedSeq: 0, reconnects: 0 });
});

test('admitted → failed when the socket closes before its first frame (never joined: no reconnect)', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME })
    .answer('connect', 200, { outcome: 'success', sessionId: 'S1' });
  h.send({ type: 'ws-close', sock: h.s.sock, code: 1006 });
  assert.equal(h.s.status, 'failed');
  assert.equal(h.s.reason, 'WS_REFUSED');
  assert.equal(h.stored.at(-1), null, 'nothing left to resume');
});

test('admitted → failed when the socket does not open in 10 s', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME })
    .answer('connect', 200, { outcome: 'success', sessionId: 'S1' });
  h.fire('ws-open-timeout');
  assert.equal(h.s.status, 'failed');
  assert.equal(h.s.reason, 'WS_TIMEOUT');
  assert.equal(h.of('ws-close').length, 1);
});

test('connecting → queued: position shown, polled every 5 s with no click, promoted → admitted', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME }).answer('connect', 200, { outcome: 'queued', position: 0 });
  assert.equal(h.s.status, 'queued');
  assert.deepEqual(h.s.queue, { position: 0, depth: null, eta: null });
  assert.equal(h.timers.get('queue-poll'), h.now + 5_000);
  h.fire('queue-poll');
  assert.equal(h.http('queue-status').path, `/instances/w/queue/status?characterId=${ME}`);
  h.answer('queue-status', 200, { outcome: 'queued', position: 0, depth: 2, estimatedWaitSeconds: 30 });
  assert.deepEqual(h.s.queue, { position: 0, depth: 2, eta: 30 });
  h.fire('queue-poll');
  h.answer('queue-status', 200, { outcome: 'success', sessionId: 'S9', reconnectionToken: 'R9' });
  assert.equal(h.s.status, 'admitted');
  assert.equal(h.s.sessionId, 'S9');
  assert.equal(h.of('ws-open').length, 1);
  assert.equal(h.timers.has('queue-poll'), false);
});

test('queued: a 503 keeps polling, a 404 means the place is lost', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME }).answer('connect', 200, { outcome: 'queued', position: 3 });
  h.fire('queue-poll').answer('queue-status', 503, { code: 'SERVICE_DEGRADED', message: 'm', transient: true });
  assert.equal(h.s.status, 'queued');
  assert.ok(h.timers.has('queue-poll'));
  h.fire('queue-poll').send({ type: 'http-failed', req: 'queue-status', attempt: h.s.attempt, error: 'offline' });
  assert.equal(h.s.status, 'queued');
  h.fire('queue-poll').answer('queue-status', 404, { code: 'NOT_FOUND', message: 'not queued', transient: false });
  assert.equal(h.s.status, 'failed');
  assert.equal(h.s.reason, 'QUEUE_LOST');
});

test('queued → idle on Leave queue: DELETE sent, polling stops, a late poll answer is ignored', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME }).answer('connect', 200, { outcome: 'queued', position: 1 });
  h.fire('queue-poll');
  const pollAttempt = h.s.attempt;
  h.send({ type: 'leave-queue' });
  assert.equal(h.s.status, 'idle');
  assert.deepEqual(h.http('leave-queue'), { type: 'http', req: 'leave-queue', attempt: pollAttempt + 1, method: 'DELETE',
    path: `/instances/w/queue?characterId=${ME}` });
  assert.equal(h.timers.has('queue-poll'), false);
  h.send({ type: 'http', req: 'queue-status', attempt: pollAttempt, status: 200, body: { outcome: 'success', sessionId: 'S' } });
  assert.equal(h.s.status, 'idle');
});

test('ALREADY_IN_SESSION with a replaceToken → replace-offer; confirm re-sends with ?replaceToken=', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME })
    .answer('connect', 200, { outcome: 'failed', reason: 'ALREADY_IN_SESSION', replaceToken: 'a/b' });
  assert.equal(h.s.status, 'replace-offer');
  h.send({ type: 'replace-confirm' });
  assert.equal(h.s.status, 'connecting');
  assert.equal(h.http('connect').path, '/instances/w/connect?replaceToken=a%2Fb');
  assert.ok(h.timers.has('connect-timeout'));
  h.answer('connect', 200, { outcome: 'success', sessionId: 'S2' });
  assert.equal(h.s.status, 'admitted');
});

test('replace-offer → idle on cancel: nothing sent, the other tab keeps playing', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME })
    .answer('connect', 200, { outcome: 'failed', reason: 'ALREADY_IN_SESSION', replaceToken: 't' });
  h.send({ type: 'replace-cancel' });
  assert.equal(h.s.status, 'idle');
  assert.equal(h.s.reason, 'KEPT_OTHER_TAB');
  assert.deepEqual(h.effects().filter((e) => e.type === 'http'), []);
});

test('ALREADY_IN_SESSION without a replaceToken (another instance) → failed', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME })
    .answer('connect', 200, { outcome: 'failed', reason: 'ALREADY_IN_SESSION' });
  assert.equal(h.s.status, 'failed');
  assert.equal(h.s.reason, 'ALREADY_IN_SESSION');
});

test('VERSION_MISMATCH on connect → update-required with the build to use', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME })
    .answer('connect', 200, { outcome: 'failed', reason: 'VERSION_MISMATCH', requiredBuild: 'b2' });
  assert.equal(h.s.status, 'update-required');
  assert.equal(h.s.requiredBuild, 'b2');
});

test('429 → throttled with a countdown from Retry-After, then idle again', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME })
    .answer('connect', 429, { outcome: 'failed', reason: 'RATE_LIMITED', retryAfterSeconds: 40 }, 42);
  assert.equal(h.s.status, 'throttled');
  assert.equal(h.s.retryAt, h.now + 42_000, 'the header wins over the body');
  h.send({ type: 'connect', instanceId: 'w', characterId: ME });
  assert.equal(h.s.status, 'throttled', 'no attempt while locked');
  h.fire('throttle-end');
  assert.equal(h.s.status, 'idle');
  assert.equal(h.s.retryAt, null);
});

test('429 without a header counts down from retryAfterSeconds', () => {
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME })
    .answer('connect', 429, { outcome: 'failed', reason: 'RATE_LIMITED', retryAfterSeconds: 17 });
  assert.equal(h.s.retryAt, h.now + 17_000);
});

test('failed(reason) for every other refusal, errors and network failures; dismiss and retry', () => {
  for (const [status, body, reason] of [[200, { outcome: 'failed', reason: 'MAINTENANCE' }, 'MAINTENANCE'],
    [200, { outcome: 'failed', reason: 'SERVICE_DEGRADED', retryAfterSeconds: 5 }, 'SERVICE_DEGRADED'],
    [200, { outcome: 'failed', reason: 'NO_ACTIVE_CHARACTER' }, 'NO_ACTIVE_CHARACTER'],
    [401, { code: 'NOT_AUTHENTICATED', message: 'no', transient: false }, 'NOT_AUTHENTICATED'],
    [400, { code: 'VALIDATION_FAILED', message: 'bad', transient: false }, 'VALIDATION_FAILED'],
    [500, null, 'HTTP_500'], [200, { outcome: 'weird' }, 'INTERNAL_ERROR']]) {
    const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME }).answer('connect', status, body);
    assert.equal(h.s.status, 'failed', reason);
    assert.equal(h.s.reason, reason);
    assert.equal(h.timers.size, 0, 'no timer left behind');
  }
  const h = harness().send({ type: 'connect', instanceId: 'w', characterId: ME })
    .send({ type: 'http-failed', req: 'connect', attempt: 1, error: 'Failed to fetch' });
  assert.equal(h.s.reason, 'NETWORK');
  h.send({ type: 'dismiss' });
  assert.equal(h.s.status, 'idle');
  h.send({ type: 'connect', instanceId: 'w', characterId: ME });
  assert.equal(h.s.status, 'connecting');
});

test('bootstrap gives walls and the world size', () => {
  const h = playing();
  assert.deepEqual(h.s.world, { width: 64, height: 64, walls: ['6,6'] });
});

test('move: seq 1, 2, 3…, predicted at once, confirmed by the ack', () => {
  const h = playing();
  h.send({ type: 'move', dx: 1, dy: 0 });
  assert.deepEqual(h.sent(), [{ type: 'intent.move', seq: 1, dx: 1, dy: 0 }]);
  assert.deepEqual(h.s.position, { x: 6, y: 5 });
  assert.deepEqual(h.s.confirmed, { x: 5, y: 5 });
  h.advance(100).send({ type: 'move', dx: 0, dy: -1 });
  assert.deepEqual(h.sent(), [{ type: 'intent.move', seq: 2, dx: 0, dy: -1 }]);
  h.frame({ type: 'event.ack', seq: 1 });
  assert.deepEqual(h.s.confirmed, { x: 6, y: 5 });
  assert.equal(h.s.lastAckedSeq, 1);
  assert.deepEqual(h.stored.at(-1).lastAckedSeq, 1, 'the last acked seq is persisted');
  h.frame({ type: 'event.ack', seq: 2 });
  assert.deepEqual(h.s.position, { x: 6, y: 4 });
  assert.equal(h.s.outbox.length, 0);
});

test('move: faster than the rate limit is dropped client-side; walls and edges are not even sent', () => {
  const h = playing();
  h.send({ type: 'move', dx: 1, dy: 0 });
  h.advance(10).send({ type: 'move', dx: 1, dy: 0 });
  assert.deepEqual(h.effects(), []);
  h.advance(100).send({ type: 'move', dx: 0, dy: 1 }); // (6,6) is a wall
  assert.deepEqual(h.effects(), []);
  assert.deepEqual(h.s.position, { x: 6, y: 5 });
  const e = harness();
  e.send({ type: 'move', dx: 1, dy: 0 });
  assert.equal(e.s.status, 'idle', 'no move outside a session');
});

test('event.error on a move rolls the prediction back and drops the later intents; their refusals are ignored', () => {
  const h = playing();
  h.send({ type: 'move', dx: 1, dy: 0 });
  h.advance(100).send({ type: 'move', dx: 1, dy: 0 });
  h.advance(100).send({ type: 'chat', text: 'hi' });
  assert.deepEqual(h.s.position, { x: 7, y: 5 });
  h.frame({ type: 'event.error', code: 'INVALID_MOVE', message: 'no', transient: false, seq: 1 });
  assert.deepEqual(h.s.position, { x: 5, y: 5 });
  assert.equal(h.s.outbox.length, 0);
  assert.equal(h.s.nextSeq, 1, 'the refused seq was not consumed by the server');
  assert.deepEqual(h.s.chat.at(-1), { from: null, text: 'INVALID_MOVE: no', kind: 'error' });
  h.frame({ type: 'event.error', code: 'SEQ_OUT_OF_ORDER', message: 'x', transient: false, seq: 2 });
  h.frame({ type: 'event.error', code: 'SEQ_OUT_OF_ORDER', message: 'x', transient: false, seq: 3 });
  assert.equal(h.s.chat.length, 1, 'stale refusals of dropped intents are not shown');
  h.advance(100).send({ type: 'move', dx: -1, dy: 0 });
  assert.deepEqual(h.sent(), [{ type: 'intent.move', seq: 1, dx: -1, dy: 0 }]);
});

test('SERVER_BUSY: the intent is kept and sent again from its seq after a backoff; nothing is lost', () => {
  const h = playing();
  h.send({ type: 'move', dx: 1, dy: 0 });
  h.advance(100).send({ type: 'move', dx: 1, dy: 0 });
  assert.deepEqual(h.s.position, { x: 7, y: 5 });
  // the server's bounded queue was full: seq 1 refused, transiently; seq 2 (in flight) will be refused as out of order
  h.frame({ type: 'event.error', code: 'SERVER_BUSY', message: 'busy', transient: true, seq: 1 });
  assert.deepEqual(h.s.position, { x: 7, y: 5 }, 'the prediction stands: the moves are not given up');
  assert.equal(h.s.outbox.length, 2);
  assert.equal(h.timers.get('resend'), h.now + M.backoff(1));
  h.frame({ type: 'event.error', code: 'SEQ_OUT_OF_ORDER', message: 'expected 1', transient: false, seq: 2 });
  assert.equal(h.s.outbox.length, 2, 'the expected out-of-order refusal of the next one is ignored');
  assert.equal(h.s.chat.filter((l) => l.kind === 'error').length, 0, 'nothing to tell the player yet');
  // a move made meanwhile waits in the outbox: sent now it would only be refused as out of order too
  h.advance(100).send({ type: 'move', dx: 1, dy: 0 });
  assert.deepEqual(h.sent(), []);
  // THEN the backoff ends: everything unacknowledged goes again, in seq order, from the refused one
  h.fire('resend');
  assert.deepEqual(h.sent().map((f) => f.seq), [1, 2, 3]);
  h.frame({ type: 'event.ack', seq: 1 }).frame({ type: 'event.ack', seq: 2 }).frame({ type: 'event.ack', seq: 3 });
  assert.equal(h.s.outbox.length, 0);
  assert.deepEqual(h.s.confirmed, { x: 8, y: 5 });
  assert.equal(h.s.resends, 0);
  h.advance(100).send({ type: 'move', dx: -1, dy: 0 });
  assert.deepEqual(h.sent(), [{ type: 'intent.move', seq: 4, dx: -1, dy: 0 }], 'sending goes on as usual');
});

test('DB_UNAVAILABLE refused RESEND_MAX times in a row: dropped like any refusal, and the player is told', () => {
  const h = playing();
  h.send({ type: 'move', dx: 1, dy: 0 });
  for (let n = 1; n <= M.RESEND_MAX; n++) {
    h.frame({ type: 'event.error', code: 'DB_UNAVAILABLE', message: 'cannot save', transient: true, seq: 1 });
    assert.equal(h.timers.get('resend'), h.now + M.backoff(n), `backoff ${n}`);
    h.fire('resend');
    assert.deepEqual(h.sent().map((f) => f.seq), [1]);
  }
  h.frame({ type: 'event.error', code: 'DB_UNAVAILABLE', message: 'cannot save', transient: true, seq: 1 });
  assert.equal(h.s.outbox.length, 0);
  assert.deepEqual(h.s.position, { x: 5, y: 5 }, 'rolled back to the confirmed position');
  assert.deepEqual(h.s.chat.at(-1), { from: null, text: 'DB_UNAVAILABLE: cannot save', kind: 'error' });
});

test('chat: sent with seq, shown once acked; RATE_LIMITED shown in the log; too long refused locally', () => {
  const h = playing();
  h.send({ type: 'chat', text: '  hello  ' });
  assert.deepEqual(h.sent(), [{ type: 'intent.chat', seq: 1, text: 'hello' }]);
  h.frame({ type: 'event.ack', seq: 1 });
  assert.deepEqual(h.s.chat, [{ from: ME, text: 'hello', kind: 'self' }]);
  h.send({ type: 'chat', text: 'again' });
  h.frame({ type: 'event.error', code: 'RATE_LIMITED', message: 'at most 5 chat intents per second', transient: true, seq: 2 });
  assert.equal(h.s.chat.at(-1).text, 'RATE_LIMITED: at most 5 chat intents per second');
  assert.equal(h.s.nextSeq, 2);
  h.send({ type: 'chat', text: 'x'.repeat(257) });
  assert.deepEqual(h.effects(), []);
  assert.match(h.s.chat.at(-1).text, /256/);
  h.send({ type: 'chat', text: '   ' });
  assert.deepEqual(h.effects(), []);
  h.frame({ type: 'event.chat', characterId: 'other', text: 'yo' });
  assert.deepEqual(h.s.chat.at(-1), { from: 'other', text: 'yo', kind: 'chat' });
});

test('state deltas move other players; an own delta sets the confirmed position', () => {
  const h = playing();
  h.frame({ type: 'event.state_delta', characterId: 'o', x: 1, y: 2 });
  h.frame({ type: 'event.state_delta', characterId: 'o', x: 2, y: 2 });
  assert.deepEqual(M.view(h.s).players, [{ characterId: 'o', x: 2, y: 2 }]);
  h.frame({ type: 'event.state_delta', characterId: ME, x: 9, y: 9 });
  assert.deepEqual(h.s.position, { x: 9, y: 9 });
});

test('error without seq (or an unknown seq) is shown, nothing else changes', () => {
  const h = playing();
  h.frame({ type: 'event.error', code: 'SERVICE_DEGRADED', message: 'later', transient: true });
  assert.equal(h.s.status, 'playing');
  assert.equal(h.s.chat.at(-1).text, 'SERVICE_DEGRADED: later');
  h.frame({ type: 'event.ack', seq: 99 });
  assert.equal(h.s.lastAckedSeq, 99, 'a replayed ack still tells how far the server is');
  h.frame({ message: 'Internal server error' });
  assert.equal(h.s.status, 'playing');
});

test('degraded banner on cache DOWN, cleared on UP', () => {
  const h = playing();
  h.frame({ type: 'event.degraded', cache: 'DOWN' });
  assert.equal(h.s.degraded, true);
  h.frame({ type: 'event.degraded', cache: 'UP' });
  assert.equal(h.s.degraded, false);
});

test('playing → replaced / update-required / ended on the server\'s word: terminal, no reconnect, storage cleared', () => {
  for (const [f, status] of [[{ type: 'event.session_replaced' }, 'replaced'],
    [{ type: 'event.version_mismatch', requiredBuild: 'b3' }, 'update-required'],
    [{ type: 'event.session_ended', reason: 'INACTIVE' }, 'ended']]) {
    const h = playing();
    h.frame(f);
    assert.equal(h.s.status, status);
    assert.equal(h.stored.at(-1), null);
    assert.equal(h.of('ws-close').length, 1);
    h.send({ type: 'ws-close', sock: h.s.sock - 1, code: 1000 });
    h.send({ type: 'ws-close', sock: h.s.sock, code: 1000 });
    assert.equal(h.s.status, status, 'the close that follows does not reconnect');
    assert.equal(h.timers.size, 0);
  }
  const h = playing();
  h.frame({ type: 'event.version_mismatch', requiredBuild: 'b3' });
  assert.equal(h.s.requiredBuild, 'b3');
});

test('playing → ended on leave: intent.leave sent, nothing to resume', () => {
  const h = playing();
  h.send({ type: 'leave' });
  assert.equal(h.s.status, 'ended');
  assert.deepEqual(h.sent(), [{ type: 'intent.leave' }]);
  assert.equal(h.of('ws-close').length, 0, 'the server closes it');
  assert.equal(h.stored.at(-1), null);
  h.send({ type: 'ws-close', sock: h.s.sock, code: 1000 });
  assert.equal(h.s.status, 'ended');
});

test('leave while reconnecting ends the session over HTTP', () => {
  const h = playing();
  h.advance(10_000).send({ type: 'ws-close', sock: h.s.sock, code: 1006 });
  h.send({ type: 'leave' });
  assert.equal(h.s.status, 'ended');
  assert.equal(h.http('leave').path, '/sessions/S1');
});

test('playing → reconnecting on an abnormal close: backoff, same URL + token + lastSeq, resume, resend unacked', () => {
  const h = playing();
  h.send({ type: 'move', dx: 1, dy: 0 });
  h.frame({ type: 'event.ack', seq: 1 });
  h.advance(100).send({ type: 'move', dx: 1, dy: 0 }); // seq 2, unacked
  h.advance(10_000).send({ type: 'ws-close', sock: h.s.sock, code: 1006 });
  assert.equal(h.s.status, 'reconnecting');
  assert.equal(h.s.graceUntil, h.now + 60_000);
  assert.equal(h.timers.get('reconnect'), h.now + 250);
  assert.equal(h.timers.get('grace-end'), h.now + 60_000);
  h.advance(100).send({ type: 'move', dx: 0, dy: 1 }); // seq 3, queued while away
  assert.deepEqual(h.sent(), []);
  assert.equal(h.stored.at(-1).outbox.length, 2, 'unacked intents are persisted with the session');
  h.fire('reconnect');
  const open = h.of('ws-open')[0];
  assert.equal(open.url, 'ws://h/local?sessionId=S1&reconnectionToken=RT1&lastSeq=1');
  assert.deepEqual(open.protocols, ['tilemud.v1', 'TOK']);
  h.send({ type: 'ws-open', sock: h.s.sock });
  assert.deepEqual(h.sent(), [{ type: 'resume', lastSeq: 1 }]);
  assert.equal(h.s.status, 'reconnecting', 'still away until the resume answer');
  // The server had applied seq 2 (its ack was lost with the socket): only seq 3 is resent.
  h.frame({ type: 'event.resume', lastSeq: 2, deltas: [{ type: 'event.state_delta', characterId: ME, x: 7, y: 5 },
    { type: 'event.state_delta', characterId: 'o', x: 1, y: 1 }], reconnectionToken: 'RT2' });
  assert.equal(h.s.status, 'playing');
  assert.deepEqual(h.sent(), [{ type: 'intent.move', seq: 3, dx: 0, dy: 1 }]);
  assert.equal(h.s.reconnectionToken, 'RT2', 'the token rotates');
  assert.equal(h.s.reconnects, 1);
  assert.equal(h.s.lastAckedSeq, 2);
  assert.deepEqual(h.s.position, { x: 7, y: 6 });
  assert.deepEqual(M.view(h.s).players, [{ characterId: 'o', x: 1, y: 1 }]);
  assert.equal(h.timers.has('grace-end'), false);
  assert.equal(h.stored.at(-1).reconnectionToken, 'RT2');
});

test('reconnecting: a snapshot answer replaces the view and renumbers unacked intents after its lastSeq', () => {
  const h = playing();
  h.send({ type: 'move', dx: 1, dy: 0 });
  h.advance(10_000).send({ type: 'ws-close', sock: h.s.sock, code: 1001 });
  h.fire('reconnect').send({ type: 'ws-open', sock: h.s.sock });
  h.frame(snapshot({ reason: 'TOO_FAR_BEHIND', lastSeq: 0, you: { characterId: ME, x: 1, y: 1 }, reconnectionToken: 'RT3' }));
  assert.deepEqual(h.sent(), [{ type: 'intent.move', seq: 1, dx: 1, dy: 0 }]);
  assert.deepEqual(h.s.position, { x: 2, y: 1 });
  assert.equal(h.s.reconnectionToken, 'RT3');
});

test('a close with code 1000 and no frame before it is a drop too (API Gateway closes with 1000)', () => {
  const h = playing();
  h.advance(10_000).send({ type: 'ws-close', sock: h.s.sock, code: 1000 });
  assert.equal(h.s.status, 'reconnecting');
});

test('protocol/policy close codes are terminal', () => {
  for (const code of M.TERMINAL_CLOSE_CODES) {
    const h = playing();
    h.send({ type: 'ws-close', sock: h.s.sock, code });
    assert.equal(h.s.status, 'failed');
    assert.equal(h.s.reason, `CLOSED_${code}`);
  }
});

test('reconnect attempts back off exponentially up to 5 s; grace end → failed', () => {
  const h = playing();
  h.advance(10_000).send({ type: 'ws-close', sock: h.s.sock, code: 1006 });
  const delays = [];
  while (h.s.status === 'reconnecting' && delays.length < 40) {
    delays.push(h.timers.get('reconnect') - h.now);
    h.fire('reconnect');
    h.send({ type: 'ws-close', sock: h.s.sock, code: 1006 }); // refused handshake
  }
  assert.deepEqual(delays.slice(0, 7), [250, 500, 1000, 2000, 4000, 5000, 5000]);
  assert.equal(h.s.status, 'failed');
  assert.equal(h.s.reason, 'GRACE_EXPIRED');
  assert.ok(h.now <= 1_000_000 + 10_000 + 60_000 + 1, 'never past the grace');
});

test('grace-end timer fails the reconnect', () => {
  const h = playing();
  h.advance(10_000).send({ type: 'ws-close', sock: h.s.sock, code: 1006 });
  h.fire('reconnect');
  h.fire('grace-end');
  assert.equal(h.s.status, 'failed');
  assert.equal(h.s.reason, 'GRACE_EXPIRED');
  assert.equal(h.of('ws-close').length, 1);
  assert.equal(h.stored.at(-1), null);
});

test('a reconnect attempt that never opens is abandoned after 10 s and retried', () => {
  const h = playing();
  h.advance(10_000).send({ type: 'ws-close', sock: h.s.sock, code: 1006 });
  h.fire('reconnect');
  const sock = h.s.sock;
  h.fire('ws-open-timeout');
  assert.equal(h.s.status, 'reconnecting');
  assert.deepEqual(h.of('ws-close'), [{ type: 'ws-close', sock }]);
  assert.ok(h.timers.has('reconnect'));
  h.send({ type: 'ws-open', sock });
  assert.equal(h.s.open, false, 'the abandoned socket is ignored');
});

test('min uptime: a connection that dropped within 5 s of opening keeps the backoff growing', () => {
  const h = playing();
  h.advance(10_000).send({ type: 'ws-close', sock: h.s.sock, code: 1006 });
  h.fire('reconnect').send({ type: 'ws-open', sock: h.s.sock }).frame({ type: 'event.resume', lastSeq: 0, deltas: [] });
  assert.equal(h.s.retries, 1);
  h.advance(1_000).send({ type: 'ws-close', sock: h.s.sock, code: 1006 });
  assert.equal(h.timers.get('reconnect') - h.now, 500, 'second attempt, not a fresh first');
  h.fire('reconnect').send({ type: 'ws-open', sock: h.s.sock }).frame({ type: 'event.resume', lastSeq: 0, deltas: [] });
  h.advance(6_000).send({ type: 'ws-close', sock: h.s.sock, code: 1006 });
  assert.equal(h.timers.get('reconnect') - h.now, 250, 'up long enough: the count starts over');
  assert.equal(h.s.reconnects, 2);
});

test('events of an old socket are ignored', () => {
  const h = playing();
  const old = h.s.sock;
  h.advance(10_000).send({ type: 'ws-close', sock: old, code: 1006 });
  h.fire('reconnect');
  h.send({ type: 'ws-message', sock: old, data: JSON.stringify({ type: 'event.session_replaced' }) });
  h.send({ type: 'ws-close', sock: old, code: 1006 });
  assert.equal(h.s.status, 'reconnecting');
  assert.equal(h.of('ws-open').length, 0);
});

test('restore after a reload: straight to reconnecting with the stored token, lastSeq and outbox', () => {
  const h = harness();
  h.send({ type: 'restore', stored: { sessionId: 'S1', reconnectionToken: 'RT5', lastAckedSeq: 4, nextSeq: 6,
    instanceId: 'w', characterId: ME, outbox: [{ kind: 'chat', seq: 5, text: 'still here' }] } });
  assert.equal(h.s.status, 'reconnecting');
  assert.ok(h.http('bootstrap'));
  h.fire('reconnect');
  assert.equal(h.of('ws-open')[0].url, 'ws://h/local?sessionId=S1&reconnectionToken=RT5&lastSeq=4');
  h.send({ type: 'ws-open', sock: h.s.sock }).frame({ type: 'event.resume', lastSeq: 4, deltas: [], reconnectionToken: 'RT6' });
  assert.deepEqual(h.sent(), [{ type: 'intent.chat', seq: 5, text: 'still here' }]);
  assert.equal(h.s.status, 'playing');
});

test('diagnostics: ping every 5 s while shown, RTT from the pong', () => {
  const h = playing();
  h.send({ type: 'toggle-diagnostics' });
  assert.deepEqual(h.sent(), [{ type: 'ping' }]);
  h.advance(42).frame({ type: 'pong' });
  assert.equal(h.s.rtt, 42);
  h.fire('ping');
  assert.deepEqual(h.sent(), [{ type: 'ping' }]);
  h.send({ type: 'toggle-diagnostics' });
  assert.equal(h.timers.has('ping'), false, 'no pings when hidden: they would defeat the 10 min inactivity end');
});

test('token updates are used by the next socket', () => {
  const h = playing();
  h.send({ type: 'token', token: 'NEW' });
  h.advance(10_000).send({ type: 'ws-close', sock: h.s.sock, code: 1006 }).fire('reconnect');
  assert.deepEqual(h.of('ws-open')[0].protocols, ['tilemud.v1', 'NEW']);
});

test('backoff table', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 10].map(M.backoff), [250, 500, 1000, 2000, 4000, 5000, 5000]);
});
