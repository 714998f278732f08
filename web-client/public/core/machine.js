// @ts-check
/**
 * The connection state machine (WEB-03), Elm-style: `next(state, event, now) → {state, effects}`.
 * Pure: effects (HTTP, WebSocket, timers, storage) are plain data the shell carries out, and every timer comes
 * back as an event, so tests drive the clock. No DOM, no globals.
 *
 * Reconnection follows what Colyseus' SDK (Room.ts / Reconnection.ts) learned: only abnormal closes reconnect;
 * a socket that closes before its first frame was never joined and is a failure, not a drop; backoff is
 * exponential and capped; the attempt counter only resets after a connection stayed up `MIN_UPTIME_MS`
 * (a server that keeps killing fresh sockets meets ever longer waits, not a tight loop); the reconnection token
 * rotates with every resume. Unlike Colyseus the bound is the server's 60 s grace, not a retry count, and
 * server-initiated ends are known from their frame (API Gateway closes with 1000 either way).
 */
import * as P from './protocol.js';
import * as O from './outbox.js';

export const CONNECT_TIMEOUT_MS = 10_000;
export const QUEUE_POLL_MS = 5_000;
export const GRACE_MS = 60_000;
export const MIN_UPTIME_MS = 5_000;
export const BACKOFF_MIN_MS = 250;
export const BACKOFF_MAX_MS = 5_000;
export const WS_OPEN_TIMEOUT_MS = 10_000;
export const PING_INTERVAL_MS = 5_000;
export const MOVE_INTERVAL_MS = 60;
/**
 * Refusals that say "not now", not "never": the server is busy (its bounded queue was full) or cannot save. The
 * intent is kept and sent again from its seq after a backoff, instead of being lost; at most RESEND_MAX times in a
 * row, then it is dropped like any refusal and the player is told.
 */
export const RESEND_CODES = Object.freeze(['SERVER_BUSY', 'DB_UNAVAILABLE']);
export const RESEND_MAX = 6;
export const MAX_CHAT_LINES = 100;
/** Close codes that say "do not come back with the same request": protocol/policy errors. */
export const TERMINAL_CLOSE_CODES = Object.freeze([1002, 1003, 1007, 1008, 1009, 1010]);
export const STORAGE_KEY = 'tilemud.session';

/**
 * @typedef {'idle'|'connecting'|'queued'|'admitted'|'playing'|'reconnecting'|'failed'|'timeout'|'throttled'
 *   |'replaced'|'update-required'|'ended'|'replace-offer'} Status
 * @typedef {{x: number, y: number}} XY
 * @typedef {{width: number, height: number, walls: string[]}} World   walls as "x,y" keys
 * @typedef {{from: string|null, text: string, kind: 'chat'|'self'|'error'|'info'}} ChatLine
 * @typedef {{sessionId: string, reconnectionToken: string|null, lastAckedSeq: number, nextSeq: number,
 *   instanceId: string, characterId: string, outbox: O.Outbox}} Stored
 * @typedef {{
 *   status: Status, reason: string|null, message: string|null,
 *   build: string, wsUrl: string, tokenInQuery: boolean, token: string|null,
 *   characterId: string|null, instanceId: string|null,
 *   attempt: number, sock: number,
 *   sessionId: string|null, reconnectionToken: string|null, connectionId: string|null,
 *   lastAckedSeq: number, nextSeq: number, outbox: O.Outbox, stale: number[], resends: number, holding: boolean,
 *   queue: {position: number, depth: number|null, eta: number|null}|null,
 *   replaceToken: string|null, retryAt: number|null, requiredBuild: string|null,
 *   graceUntil: number|null, retries: number, openedAt: number|null, joined: boolean, open: boolean,
 *   confirmed: XY|null, position: XY|null, players: Record<string, XY>, world: World|null,
 *   chat: ChatLine[], degraded: boolean, rtt: number|null, pingSentAt: number|null, reconnects: number,
 *   lastMoveAt: number, diagnostics: boolean
 * }} State
 * @typedef {{type: 'http', req: string, attempt: number, method: string, path: string, body?: any}
 *   | {type: 'ws-open', sock: number, url: string, protocols: string[]}
 *   | {type: 'ws-send', sock: number, data: string}
 *   | {type: 'ws-close', sock: number}
 *   | {type: 'timer', name: string, ms: number}
 *   | {type: 'cancel', name: string}
 *   | {type: 'store', key: string, value: Stored|null}} Effect
 * @typedef {{type: 'token', token: string}
 *   | {type: 'connect', instanceId: string, characterId: string}
 *   | {type: 'restore', stored: Stored}
 *   | {type: 'http', req: string, attempt: number, status: number, body: any, retryAfter?: (number|null)}
 *   | {type: 'http-failed', req: string, attempt: number, error: string}
 *   | {type: 'timer', name: string}
 *   | {type: 'ws-open', sock: number}
 *   | {type: 'ws-message', sock: number, data: string}
 *   | {type: 'ws-close', sock: number, code: number, reason?: string}
 *   | {type: 'move', dx: number, dy: number}
 *   | {type: 'chat', text: string}
 *   | {type: 'leave'} | {type: 'leave-queue'} | {type: 'replace-confirm'} | {type: 'replace-cancel'}
 *   | {type: 'dismiss'} | {type: 'toggle-diagnostics'}} Event
 * @typedef {{state: State, effects: Effect[]}} Step
 */

/** States in which a new connect may start. */
const RESTARTABLE = new Set(['idle', 'failed', 'timeout', 'replaced', 'update-required', 'ended']);
/** States whose session is worth persisting. */
const LIVE = new Set(['admitted', 'playing', 'reconnecting']);

/**
 * @param {{build: string, wsUrl: string, tokenInQuery?: boolean, token?: string|null}} o
 * @returns {State}
 */
export function initial(o) {
  return {
    status: 'idle', reason: null, message: null,
    build: o.build, wsUrl: o.wsUrl, tokenInQuery: !!o.tokenInQuery, token: o.token ?? null,
    characterId: null, instanceId: null, attempt: 0, sock: 0,
    sessionId: null, reconnectionToken: null, connectionId: null,
    lastAckedSeq: 0, nextSeq: 1, outbox: O.EMPTY, stale: [], resends: 0, holding: false,
    queue: null, replaceToken: null, retryAt: null, requiredBuild: null,
    graceUntil: null, retries: 0, openedAt: null, joined: false, open: false,
    confirmed: null, position: null, players: {}, world: null,
    chat: [], degraded: false, rtt: null, pingSentAt: null, reconnects: 0, lastMoveAt: -Infinity,
    diagnostics: false,
  };
}

/** What sessionStorage holds: enough to come back after a drop or a reload (WEB-03). @param {State} s @returns {Stored|null} */
export function stored(s) {
  if (!LIVE.has(s.status) || !s.sessionId || !s.instanceId || !s.characterId) return null;
  return { sessionId: s.sessionId, reconnectionToken: s.reconnectionToken, lastAckedSeq: s.lastAckedSeq,
    nextSeq: s.nextSeq, instanceId: s.instanceId, characterId: s.characterId, outbox: s.outbox };
}

/** Backoff before reconnect attempt n (1-based): 250 ms, 500 ms, 1 s, … capped at 5 s. @param {number} n */
export const backoff = (n) => Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.max(0, n - 1));

/**
 * @param {State} state @param {Event} event @param {number} now
 * @returns {Step}
 */
export function next(state, event, now) {
  const step = reduce(state, event, now);
  const before = JSON.stringify(stored(state));
  const after = stored(step.state);
  if (JSON.stringify(after) !== before) step.effects.push({ type: 'store', key: STORAGE_KEY, value: after });
  return step;
}

/** @param {State} s @param {Partial<State>} patch @param {Effect[]} [effects] @returns {Step} */
const to = (s, patch, effects = []) => ({ state: { ...s, ...patch }, effects });
/** @param {State} s @returns {Step} */
const same = (s) => ({ state: s, effects: [] });

/** @param {State} s @param {ChatLine} line @returns {ChatLine[]} */
const log = (s, line) => [...s.chat, line].slice(-MAX_CHAT_LINES);

/** Cancels every timer but the ones named. @param {...string} keep @returns {Effect[]} */
const cancelAll = (...keep) => ['connect-timeout', 'queue-poll', 'throttle-end', 'ws-open-timeout', 'reconnect',
  'grace-end', 'ping', 'resend'].filter((n) => !keep.includes(n)).map((name) => /** @type {Effect} */ ({ type: 'cancel', name }));

/** A fresh session's fields. */
const NO_SESSION = {
  sessionId: null, reconnectionToken: null, connectionId: null, lastAckedSeq: 0, nextSeq: 1, outbox: O.EMPTY,
  stale: [], resends: 0, holding: false, queue: null, replaceToken: null, retryAt: null, requiredBuild: null, graceUntil: null,
  retries: 0, openedAt: null, joined: false, open: false, confirmed: null, position: null, players: {}, degraded: false,
  rtt: null, pingSentAt: null,
};

/**
 * Ends the session on a terminal state: timers off, socket closed, storage cleared (by `next`).
 * @param {State} s @param {Status} status @param {Partial<State>} [patch] @returns {Step}
 */
function terminal(s, status, patch = {}) {
  /** @type {Effect[]} */
  const effects = cancelAll();
  if (s.open || s.status === 'admitted' || s.status === 'reconnecting') effects.push({ type: 'ws-close', sock: s.sock });
  return to(s, { status, reason: null, message: null, open: false, sock: s.sock + 1, ...patch }, effects);
}

/** @param {State} s @param {string} reason @param {string|null} [message] @param {Partial<State>} [patch] */
const fail = (s, reason, message = null, patch = {}) => terminal(s, 'failed', { reason, message, ...patch });

/** @param {State} s @param {string|null} replaceToken @returns {Step} */
function admission(s, replaceToken) {
  const attempt = s.attempt + 1;
  const q = replaceToken ? `?replaceToken=${encodeURIComponent(replaceToken)}` : '';
  return to(s, { status: 'connecting', attempt, reason: null, message: null, replaceToken: null }, [
    { type: 'http', req: 'connect', attempt, method: 'POST',
      path: `/instances/${encodeURIComponent(s.instanceId ?? '')}/connect${q}`,
      body: { characterId: s.characterId, clientBuild: s.build } },
    { type: 'timer', name: 'connect-timeout', ms: CONNECT_TIMEOUT_MS },
  ]);
}

/** Opens the socket of the current session (first time or reconnect). @param {State} s @param {boolean} reconnect @returns {Step} */
function openSocket(s, reconnect) {
  const sock = s.sock + 1;
  const { url, protocols } = P.socketAddress({ wsUrl: s.wsUrl, sessionId: s.sessionId ?? '', token: s.token ?? '',
    reconnectionToken: reconnect ? s.reconnectionToken : null, lastSeq: s.lastAckedSeq, tokenInQuery: s.tokenInQuery });
  return to(s, { sock, open: false, openedAt: null }, [
    { type: 'ws-open', sock, url, protocols },
    { type: 'timer', name: 'ws-open-timeout', ms: WS_OPEN_TIMEOUT_MS },
  ]);
}

/** An admission answered success (connect or queue promotion). @param {State} s @param {any} body @returns {Step} */
function admitted(s, body) {
  if (typeof body.sessionId !== 'string') return fail(s, 'INTERNAL_ERROR', 'admission without a session');
  const base = to(s, { ...NO_SESSION, status: 'admitted', sessionId: body.sessionId,
    reconnectionToken: typeof body.reconnectionToken === 'string' ? body.reconnectionToken : null },
  [...cancelAll(), bootstrap(s)]);
  const opened = openSocket(base.state, false);
  return { state: opened.state, effects: [...base.effects, ...opened.effects] };
}

/** @param {State} s @returns {Effect} */
const bootstrap = (s) => ({ type: 'http', req: 'bootstrap', attempt: s.attempt, method: 'POST', path: '/session/bootstrap',
  body: { instanceId: s.instanceId } });

/** @param {State} s @param {number|null|undefined} seconds @param {number} now @returns {Step} */
function throttled(s, seconds, now) {
  const ms = Math.max(1, typeof seconds === 'number' && Number.isFinite(seconds) ? seconds : 60) * 1000;
  return to(s, { status: 'throttled', reason: 'RATE_LIMITED', retryAt: now + ms },
    [...cancelAll(), { type: 'timer', name: 'throttle-end', ms }]);
}

/**
 * An admission body (`POST …/connect` or a promoted queue status) → the next state.
 * @param {State} s @param {number} status @param {any} body @param {number|null|undefined} retryAfter @param {number} now
 * @returns {Step}
 */
function decided(s, status, body, retryAfter, now) {
  body = body && typeof body === 'object' ? body : {};
  if (status === 429 || body.reason === 'RATE_LIMITED') {
    return throttled(s, retryAfter ?? body.retryAfterSeconds, now);
  }
  if (status >= 400) return fail(s, body.code ?? body.reason ?? `HTTP_${status}`, body.message ?? null);
  switch (body.outcome) {
    case 'success':
      return admitted(s, body);
    case 'queued':
      return to(s, { status: 'queued', queue: { position: body.position ?? 0, depth: body.depth ?? null,
        eta: body.estimatedWaitSeconds ?? null } }, [...cancelAll(), { type: 'timer', name: 'queue-poll', ms: QUEUE_POLL_MS }]);
    case 'timeout':
      return terminal(s, 'timeout', { reason: 'TIMEOUT' });
    case 'failed':
      if (body.reason === 'ALREADY_IN_SESSION' && typeof body.replaceToken === 'string') {
        return to(s, { status: 'replace-offer', replaceToken: body.replaceToken }, cancelAll());
      }
      if (body.reason === 'VERSION_MISMATCH') {
        return terminal(s, 'update-required', { requiredBuild: body.requiredBuild ?? null });
      }
      return fail(s, body.reason ?? 'INTERNAL_ERROR', null,
        { retryAt: body.retryAfterSeconds ? now + body.retryAfterSeconds * 1000 : null });
    default:
      return fail(s, 'INTERNAL_ERROR', 'unexpected admission answer');
  }
}

/** Predicted position: the confirmed one plus every unacknowledged move. @param {XY|null} confirmed @param {O.Outbox} box */
function predict(confirmed, box) {
  if (!confirmed) return { position: null, outbox: box };
  let p = confirmed;
  const outbox = box.map((i) => {
    if (i.kind !== 'move') return i;
    p = { x: p.x + i.dx, y: p.y + i.dy };
    return { ...i, to: p };
  });
  return { position: p, outbox };
}

/** @param {State} s @param {number} x @param {number} y */
function blocked(s, x, y) {
  const w = s.world;
  if (!w) return false;
  return x < 0 || y < 0 || x >= w.width || y >= w.height || w.walls.includes(`${x},${y}`);
}

/**
 * The answer to `resume`: every intent up to `lastSeq` is applied; the rest are renumbered and resent.
 * @param {State} s @param {number} lastSeq @param {Partial<State>} patch @param {number} now @returns {Step}
 */
function resumed(s, lastSeq, patch, now) {
  const { box } = O.rebase(s.outbox, lastSeq);
  const confirmed = patch.confirmed ?? s.confirmed;
  const predicted = predict(confirmed, box);
  const wasAway = s.status === 'reconnecting';
  /** @type {Effect[]} */
  const effects = [{ type: 'cancel', name: 'reconnect' }, { type: 'cancel', name: 'grace-end' },
    { type: 'cancel', name: 'resend' }];
  for (const i of predicted.outbox) effects.push({ type: 'ws-send', sock: s.sock, data: P.encodeIntent(i) });
  if (s.diagnostics) effects.push(...pingNow(s, now).effects);
  return to(s, { ...patch, status: 'playing', joined: true, graceUntil: null, lastAckedSeq: lastSeq,
    nextSeq: lastSeq + 1 + predicted.outbox.length, outbox: predicted.outbox, position: predicted.position,
    stale: [], resends: 0, holding: false, reconnects: s.reconnects + (wasAway ? 1 : 0), pingSentAt: s.diagnostics ? now : s.pingSentAt }, effects);
}

/** @param {State} s @param {number} now @returns {Step} */
function pingNow(s, now) {
  return to(s, { pingSentAt: now }, [{ type: 'ws-send', sock: s.sock, data: P.ping() },
    { type: 'timer', name: 'ping', ms: PING_INTERVAL_MS }]);
}

/**
 * A delta (live or from a resume): self moves the confirmed position, others the players map.
 * @param {State} s @param {P.ServerFrame} d @returns {State}
 */
function applyDelta(s, d) {
  if (d.type === 'event.state_delta') {
    if (d.characterId === s.characterId) {
      const confirmed = { x: d.x, y: d.y };
      const p = predict(confirmed, s.outbox);
      return { ...s, confirmed, position: p.position, outbox: p.outbox };
    }
    return { ...s, players: { ...s.players, [d.characterId]: { x: d.x, y: d.y } } };
  }
  if (d.type === 'event.chat') {
    return { ...s, chat: log(s, { from: d.characterId, text: d.text, kind: d.characterId === s.characterId ? 'self' : 'chat' }) };
  }
  return s;
}

/** @param {State} s @param {P.ServerFrame} f @param {number} now @returns {Step} */
function frame(s, f, now) {
  switch (f.type) {
    case 'event.snapshot': {
      /** @type {Record<string, XY>} */
      const players = {};
      for (const p of f.players) if (p.characterId !== s.characterId) players[p.characterId] = { x: p.x, y: p.y };
      return resumed(s, f.lastSeq, { confirmed: { x: f.you.x, y: f.you.y }, players,
        reconnectionToken: f.reconnectionToken ?? s.reconnectionToken, connectionId: f.connectionId ?? s.connectionId }, now);
    }
    case 'event.resume': {
      let t = s;
      for (const d of f.deltas) t = applyDelta(t, d);
      return resumed(t, f.lastSeq, { reconnectionToken: f.reconnectionToken ?? s.reconnectionToken,
        connectionId: f.connectionId ?? s.connectionId }, now);
    }
    case 'event.ack': {
      const { box, acked } = O.ack(s.outbox, f.seq);
      let { confirmed, chat } = s;
      for (const i of acked) {
        if (i.kind === 'move') confirmed = i.to;
        else chat = [...chat, /** @type {ChatLine} */ ({ from: s.characterId, text: i.text, kind: 'self' })].slice(-MAX_CHAT_LINES);
      }
      return to(s, { outbox: box, confirmed, chat, stale: [], resends: 0,
        lastAckedSeq: Math.max(s.lastAckedSeq, f.seq) });
    }
    case 'event.error': {
      if (f.seq != null && s.stale.includes(f.seq)) return to(s, { stale: s.stale.filter((n) => n !== f.seq) });
      const line = /** @type {ChatLine} */ ({ from: null, text: `${f.code}: ${f.message}`, kind: 'error' });
      if (f.seq == null || !O.find(s.outbox, f.seq)) return to(s, { chat: log(s, line) });
      if (f.transient && RESEND_CODES.includes(f.code) && s.resends < RESEND_MAX) {
        // Kept, prediction and all, and sent again from this seq; the later ones in flight will be refused as out of
        // order (the server did not consume this seq): those refusals are expected, so they are ignored.
        const later = s.outbox.filter((i) => i.seq > f.seq && !s.stale.includes(i.seq)).map((i) => i.seq);
        // Until then new intents wait in the outbox (sent now they would only be refused as out of order too).
        return to(s, { stale: [...s.stale, ...later], resends: s.resends + 1, holding: true },
          [{ type: 'timer', name: 'resend', ms: backoff(s.resends + 1) }]);
      }
      // The refused intent and every later one are gone; the later ones' own refusals are on their way: ignore them.
      const { box, dropped } = O.reject(s.outbox, f.seq);
      const p = predict(s.confirmed, box);
      return to(s, { outbox: p.outbox, position: p.position, nextSeq: f.seq, chat: log(s, line),
        stale: dropped.map((i) => i.seq).filter((n) => n !== f.seq) });
    }
    case 'event.state_delta':
    case 'event.chat':
      return to(applyDelta(s, f), {});
    case 'pong':
      return to(s, { rtt: s.pingSentAt == null ? s.rtt : now - s.pingSentAt });
    case 'event.degraded':
      return to(s, { degraded: f.cache === 'DOWN' });
    case 'event.session_replaced':
      return terminal(s, 'replaced', { reason: 'SESSION_REPLACED' });
    case 'event.version_mismatch':
      return terminal(s, 'update-required', { requiredBuild: f.requiredBuild });
    case 'event.session_ended':
      return terminal(s, 'ended', { reason: f.reason });
    default:
      return same(s);
  }
}

/**
 * A socket that opened and got its first frame, then went away: reconnect within grace; anything else ends.
 * @param {State} s @param {number} code @param {number} now @returns {Step}
 */
function dropped(s, code, now) {
  if (TERMINAL_CLOSE_CODES.includes(code)) return fail(s, `CLOSED_${code}`);
  const first = s.status === 'playing';
  const graceUntil = first ? now + GRACE_MS : (s.graceUntil ?? now + GRACE_MS);
  const upLongEnough = s.openedAt != null && now - s.openedAt >= MIN_UPTIME_MS;
  const retries = (first && upLongEnough ? 0 : s.retries) + 1;
  if (now >= graceUntil) return fail(s, 'GRACE_EXPIRED');
  const delay = Math.min(backoff(retries), graceUntil - now);
  /** @type {Effect[]} */
  const effects = [{ type: 'cancel', name: 'ws-open-timeout' }, { type: 'cancel', name: 'ping' },
    { type: 'timer', name: 'reconnect', ms: delay }];
  if (first) effects.push({ type: 'timer', name: 'grace-end', ms: GRACE_MS });
  return to(s, { status: 'reconnecting', graceUntil, retries, open: false, sock: s.sock + 1, openedAt: null }, effects);
}

/** @param {State} s @param {Event} e @param {number} now @returns {Step} */
function reduce(s, e, now) {
  switch (e.type) {
    case 'token':
      return to(s, { token: e.token });

    case 'connect':
      if (!RESTARTABLE.has(s.status)) return same(s);
      return admission({ ...s, ...NO_SESSION, instanceId: e.instanceId, characterId: e.characterId, chat: [],
        world: s.instanceId === e.instanceId ? s.world : null }, null);

    case 'restore': {
      if (s.status !== 'idle') return same(s);
      const r = e.stored;
      const base = { ...s, ...NO_SESSION, status: /** @type {Status} */ ('reconnecting'), sessionId: r.sessionId,
        reconnectionToken: r.reconnectionToken, lastAckedSeq: r.lastAckedSeq, nextSeq: r.nextSeq,
        instanceId: r.instanceId, characterId: r.characterId, outbox: r.outbox ?? O.EMPTY, joined: true,
        graceUntil: now + GRACE_MS, retries: 0 };
      return to(base, {}, [bootstrap(base), { type: 'timer', name: 'reconnect', ms: 0 },
        { type: 'timer', name: 'grace-end', ms: GRACE_MS }]);
    }

    case 'http':
      if (e.req === 'bootstrap') {
        if (e.status !== 200 || !e.body?.world) return same(s);
        const w = e.body.world;
        const world = { width: w.width, height: w.height,
          walls: (w.walls ?? []).map((/** @type {number[]} */ xy) => `${xy[0]},${xy[1]}`) };
        const c = e.body.character;
        if (!s.confirmed && c && Number.isInteger(c.x)) return to(s, { world, confirmed: { x: c.x, y: c.y }, position: { x: c.x, y: c.y } });
        return to(s, { world });
      }
      if (e.attempt !== s.attempt) return same(s); // a late answer to an abandoned attempt
      if (e.req === 'connect' && s.status === 'connecting') return decided(s, e.status, e.body, e.retryAfter, now);
      if (e.req === 'queue-status' && s.status === 'queued') {
        if (e.status === 200 && e.body?.outcome === 'queued') {
          return to(s, { queue: { position: e.body.position, depth: e.body.depth ?? null, eta: e.body.estimatedWaitSeconds ?? null } },
            [{ type: 'timer', name: 'queue-poll', ms: QUEUE_POLL_MS }]);
        }
        if (e.status === 404) return fail(s, 'QUEUE_LOST', e.body?.message ?? 'no longer in the queue');
        if (e.status === 503 || e.status >= 500) return to(s, {}, [{ type: 'timer', name: 'queue-poll', ms: QUEUE_POLL_MS }]);
        return decided(s, e.status, e.body, e.retryAfter, now);
      }
      return same(s);

    case 'http-failed':
      if (e.attempt !== s.attempt) return same(s);
      if (e.req === 'connect' && s.status === 'connecting') return fail(s, 'NETWORK', e.error);
      if (e.req === 'queue-status' && s.status === 'queued') return to(s, {}, [{ type: 'timer', name: 'queue-poll', ms: QUEUE_POLL_MS }]);
      return same(s);

    case 'timer':
      switch (e.name) {
        case 'connect-timeout':
          return s.status === 'connecting' ? terminal({ ...s, attempt: s.attempt + 1 }, 'timeout', { reason: 'TIMEOUT' }) : same(s);
        case 'queue-poll':
          return s.status === 'queued'
            ? to(s, {}, [{ type: 'http', req: 'queue-status', attempt: s.attempt, method: 'GET',
              path: `/instances/${encodeURIComponent(s.instanceId ?? '')}/queue/status?characterId=${encodeURIComponent(s.characterId ?? '')}` }])
            : same(s);
        case 'throttle-end':
          return s.status === 'throttled' ? to(s, { status: 'idle', reason: null, retryAt: null }) : same(s);
        case 'ws-open-timeout':
          if (s.status === 'admitted') return fail(s, 'WS_TIMEOUT', 'the game server did not answer');
          if (s.status === 'reconnecting') {
            const d = dropped(s, 1006, now);
            return { state: d.state, effects: [{ type: 'ws-close', sock: s.sock }, ...d.effects] };
          }
          return same(s);
        case 'reconnect':
          return s.status === 'reconnecting' ? openSocket(s, true) : same(s);
        case 'grace-end':
          return s.status === 'reconnecting' ? fail(s, 'GRACE_EXPIRED', 'the session could not be resumed in time') : same(s);
        case 'ping':
          return s.status === 'playing' && s.diagnostics && s.open ? pingNow(s, now) : same(s);
        case 'resend':
          // Everything not yet acknowledged, in seq order, from the refused one (a drop meanwhile resends on resume).
          return s.status === 'playing' && s.open
            ? to(s, { holding: false },
              s.outbox.map((i) => /** @type {Effect} */ ({ type: 'ws-send', sock: s.sock, data: P.encodeIntent(i) })))
            : to(s, { holding: false });
        default:
          return same(s);
      }

    case 'ws-open':
      if (e.sock !== s.sock) return same(s);
      return to(s, { open: true, openedAt: now }, [{ type: 'cancel', name: 'ws-open-timeout' },
        { type: 'ws-send', sock: s.sock, data: P.resume(s.lastAckedSeq) }]);

    case 'ws-message':
      return e.sock === s.sock ? frame(s, P.decode(e.data), now) : same(s);

    case 'ws-close':
      if (e.sock !== s.sock) return same(s);
      if (s.status === 'admitted') return fail(s, 'WS_REFUSED', `the game server closed the connection (${e.code})`);
      if (s.status === 'playing' || s.status === 'reconnecting') return dropped(s, e.code, now);
      return to(s, { open: false });

    case 'move': {
      if ((s.status !== 'playing' && s.status !== 'reconnecting') || !s.position) return same(s);
      if (now - s.lastMoveAt < MOVE_INTERVAL_MS) return same(s);
      const dx = Math.sign(e.dx), dy = Math.sign(e.dy);
      if (dx === 0 && dy === 0) return same(s);
      const target = { x: s.position.x + dx, y: s.position.y + dy };
      if (blocked(s, target.x, target.y)) return same(s);
      /** @type {O.Intent} */
      const intent = { kind: 'move', seq: s.nextSeq, dx, dy, to: target };
      return to(s, { outbox: O.add(s.outbox, intent), nextSeq: s.nextSeq + 1, position: target, lastMoveAt: now },
        s.open && s.status === 'playing' && !s.holding ? [{ type: 'ws-send', sock: s.sock, data: P.encodeIntent(intent) }] : []);
    }

    case 'chat': {
      const text = e.text.trim();
      if ((s.status !== 'playing' && s.status !== 'reconnecting') || !text) return same(s);
      if ([...text].length > P.MAX_CHAT) {
        return to(s, { chat: log(s, { from: null, text: `at most ${P.MAX_CHAT} characters per line`, kind: 'error' }) });
      }
      /** @type {O.Intent} */
      const intent = { kind: 'chat', seq: s.nextSeq, text };
      return to(s, { outbox: O.add(s.outbox, intent), nextSeq: s.nextSeq + 1 },
        s.open && s.status === 'playing' && !s.holding ? [{ type: 'ws-send', sock: s.sock, data: P.encodeIntent(intent) }] : []);
    }

    case 'leave': {
      if (!LIVE.has(s.status)) return same(s);
      /** @type {Effect[]} */
      const effects = s.open
        ? [{ type: 'ws-send', sock: s.sock, data: P.leave() }]
        : [{ type: 'http', req: 'leave', attempt: s.attempt, method: 'DELETE', path: `/sessions/${encodeURIComponent(s.sessionId ?? '')}` }];
      const t = terminal(s, 'ended', { reason: 'LEFT' });
      // The server closes the socket after intent.leave; closing it here too would race the frame.
      return { state: t.state, effects: [...effects, ...t.effects.filter((f) => f.type !== 'ws-close' || !s.open)] };
    }

    case 'leave-queue':
      if (s.status !== 'queued') return same(s);
      return to(s, { status: 'idle', queue: null, attempt: s.attempt + 1 }, [...cancelAll(),
        { type: 'http', req: 'leave-queue', attempt: s.attempt + 1, method: 'DELETE',
          path: `/instances/${encodeURIComponent(s.instanceId ?? '')}/queue?characterId=${encodeURIComponent(s.characterId ?? '')}` }]);

    case 'replace-confirm':
      return s.status === 'replace-offer' ? admission(s, s.replaceToken) : same(s);

    case 'replace-cancel':
      return s.status === 'replace-offer' ? to(s, { status: 'idle', replaceToken: null, reason: 'KEPT_OTHER_TAB' }) : same(s);

    case 'dismiss':
      return RESTARTABLE.has(s.status) ? to(s, { status: 'idle', reason: null, message: null }) : same(s);

    case 'toggle-diagnostics': {
      const on = !s.diagnostics;
      if (on && s.status === 'playing' && s.open) {
        const p = pingNow(s, now);
        return to(p.state, { diagnostics: true }, p.effects);
      }
      return to(s, { diagnostics: on }, on ? [] : [{ type: 'cancel', name: 'ping' }]);
    }

    default:
      return same(s);
  }
}

/**
 * What `window.tilemud.state()` returns (WEB-08).
 * @param {State} s
 */
export function view(s) {
  return {
    status: s.status,
    characterId: s.characterId,
    instanceId: s.instanceId,
    position: s.position ? { x: s.position.x, y: s.position.y } : null,
    players: Object.entries(s.players).map(([characterId, p]) => ({ characterId, x: p.x, y: p.y })),
    lastAckedSeq: s.lastAckedSeq,
    reconnects: s.reconnects,
  };
}
