// @ts-check
/**
 * The wire format (specs/asyncapi.yaml): client frames encoded, server frames decoded into plain objects.
 * Pure: no DOM, no sockets.
 */

/** Subprotocol the server selects when the access token rides in Sec-WebSocket-Protocol. */
export const SUBPROTOCOL = 'tilemud.v1';
/** Longest chat line the server accepts (RT-04). */
export const MAX_CHAT = 256;

/**
 * @typedef {{characterId: string, x: number, y: number}} Position
 * @typedef {{type: 'event.ack', seq: number}
 *   | {type: 'event.error', code: string, message: string, transient: boolean, seq: (number|null)}
 *   | {type: 'event.state_delta', characterId: string, x: number, y: number}
 *   | {type: 'event.chat', characterId: string, text: string}
 *   | {type: 'pong'}
 *   | {type: 'event.session_replaced'}
 *   | {type: 'event.version_mismatch', requiredBuild: (string|null)}
 *   | {type: 'event.degraded', cache: 'DOWN'|'UP'}
 *   | {type: 'event.resume', lastSeq: number, deltas: ServerFrame[], reconnectionToken: (string|null), connectionId: (string|null)}
 *   | {type: 'event.snapshot', reason: string, lastSeq: number, you: Position, players: Position[], reconnectionToken: (string|null), connectionId: (string|null)}
 *   | {type: 'event.session_ended', reason: string}
 *   | {type: 'unknown', raw: string}} ServerFrame
 */

/** @param {number} seq @param {number} dx @param {number} dy */
export const move = (seq, dx, dy) => JSON.stringify({ type: 'intent.move', seq, dx, dy });
/** @param {number} seq @param {string} text */
export const chat = (seq, text) => JSON.stringify({ type: 'intent.chat', seq, text });
export const leave = () => JSON.stringify({ type: 'intent.leave' });
export const ping = () => JSON.stringify({ type: 'ping' });
/** @param {number} lastSeq */
export const resume = (lastSeq) => JSON.stringify({ type: 'resume', lastSeq });

/**
 * @param {{kind: 'move', seq: number, dx: number, dy: number} | {kind: 'chat', seq: number, text: string}} intent
 * @returns {string}
 */
export function encodeIntent(intent) {
  return intent.kind === 'move' ? move(intent.seq, intent.dx, intent.dy) : chat(intent.seq, intent.text);
}

/** @param {unknown} v @returns {v is number} */
const isInt = (v) => typeof v === 'number' && Number.isInteger(v);
/** @param {unknown} v @returns {string|null} */
const str = (v) => (typeof v === 'string' ? v : null);

/** @param {any} p @returns {Position|null} */
function position(p) {
  return p && typeof p.characterId === 'string' && isInt(p.x) && isInt(p.y)
    ? { characterId: p.characterId, x: p.x, y: p.y } : null;
}

/**
 * Decodes one server frame. Anything malformed becomes `{type:'unknown'}` rather than throwing, so a bad frame
 * never breaks the client (API Gateway itself may send `{"message":"Internal server error",…}`).
 * @param {string} text
 * @returns {ServerFrame}
 */
export function decode(text) {
  /** @type {any} */
  let f;
  try {
    f = JSON.parse(text);
  } catch {
    return { type: 'unknown', raw: text };
  }
  /** @type {ServerFrame} */
  const unknown = { type: 'unknown', raw: text };
  if (!f || typeof f !== 'object') return unknown;
  switch (f.type) {
    case 'event.ack':
      return isInt(f.seq) ? { type: 'event.ack', seq: f.seq } : unknown;
    case 'event.error':
      return typeof f.code === 'string'
        ? { type: 'event.error', code: f.code, message: str(f.message) ?? '', transient: f.transient === true,
            seq: isInt(f.seq) ? f.seq : null }
        : unknown;
    case 'event.state_delta': {
      const p = position(f);
      return p ? { type: 'event.state_delta', ...p } : unknown;
    }
    case 'event.chat':
      return typeof f.characterId === 'string' && typeof f.text === 'string'
        ? { type: 'event.chat', characterId: f.characterId, text: f.text } : unknown;
    case 'pong':
      return { type: 'pong' };
    case 'event.session_replaced':
      return { type: 'event.session_replaced' };
    case 'event.version_mismatch':
      return { type: 'event.version_mismatch', requiredBuild: str(f.requiredBuild) };
    case 'event.degraded':
      return f.cache === 'DOWN' || f.cache === 'UP' ? { type: 'event.degraded', cache: f.cache } : unknown;
    case 'event.session_ended':
      return { type: 'event.session_ended', reason: str(f.reason) ?? 'ENDED' };
    case 'event.resume': {
      if (!isInt(f.lastSeq) || !Array.isArray(f.deltas)) return unknown;
      const deltas = f.deltas.map((/** @type {any} */ d) => decode(JSON.stringify(d)))
        .filter((/** @type {ServerFrame} */ d) => d.type === 'event.state_delta' || d.type === 'event.chat');
      return { type: 'event.resume', lastSeq: f.lastSeq, deltas, reconnectionToken: str(f.reconnectionToken),
        connectionId: str(f.connectionId) };
    }
    case 'event.snapshot': {
      const you = position(f.you);
      if (!isInt(f.lastSeq) || !you || !Array.isArray(f.players)) return unknown;
      const players = /** @type {Position[]} */ (f.players.map(position).filter(Boolean));
      return { type: 'event.snapshot', reason: str(f.reason) ?? '', lastSeq: f.lastSeq, you, players,
        reconnectionToken: str(f.reconnectionToken), connectionId: str(f.connectionId) };
    }
    default:
      return unknown;
  }
}

/**
 * The WebSocket address and subprotocols (RT-01). The token goes in `Sec-WebSocket-Protocol` as
 * `["tilemud.v1", token]` — what a browser can send; `tokenInQuery` is the fallback for servers that only read
 * `?token=`.
 * @param {{wsUrl: string, sessionId: string, token: string, reconnectionToken?: (string|null), lastSeq?: number,
 *   tokenInQuery?: boolean}} o
 * @returns {{url: string, protocols: string[]}}
 */
export function socketAddress(o) {
  const q = new URLSearchParams({ sessionId: o.sessionId });
  if (o.reconnectionToken) {
    q.set('reconnectionToken', o.reconnectionToken);
    q.set('lastSeq', String(o.lastSeq ?? 0));
  }
  if (o.tokenInQuery) q.set('token', o.token);
  return { url: `${o.wsUrl}?${q}`, protocols: o.tokenInQuery ? [] : [SUBPROTOCOL, o.token] };
}
