// @ts-check
/**
 * Intents sent (or to send) but not yet acknowledged, ordered by seq (1, 2, 3… per session). Pure functions over
 * an immutable array: the machine keeps the array in its state and in sessionStorage.
 *
 * @typedef {{kind: 'move', seq: number, dx: number, dy: number, to: {x: number, y: number}}
 *   | {kind: 'chat', seq: number, text: string}} Intent
 * @typedef {ReadonlyArray<Intent>} Outbox
 */

/** @type {Outbox} */
export const EMPTY = Object.freeze([]);

/** @param {Outbox} box @param {Intent} intent @returns {Outbox} */
export function add(box, intent) {
  const last = box[box.length - 1];
  if (last && intent.seq !== last.seq + 1) throw new Error(`seq ${intent.seq} does not follow ${last.seq}`);
  return [...box, intent];
}

/**
 * `event.ack {seq}`: that intent and every one before it are durable (acks come in order).
 * @param {Outbox} box @param {number} seq
 * @returns {{box: Outbox, acked: Intent[]}}
 */
export function ack(box, seq) {
  return { box: box.filter((i) => i.seq > seq), acked: box.filter((i) => i.seq <= seq) };
}

/**
 * A refused intent: it and every later one are dropped — the server did not consume the seq, so later ones would
 * all be SEQ_OUT_OF_ORDER.
 * @param {Outbox} box @param {number} seq
 * @returns {{box: Outbox, dropped: Intent[]}}
 */
export function reject(box, seq) {
  return { box: box.filter((i) => i.seq < seq), dropped: box.filter((i) => i.seq >= seq) };
}

/**
 * After a resume the server says which seq it applied last: the rest are renumbered from there on, in order, so
 * they can be resent (RT-06).
 * @param {Outbox} box @param {number} serverLastSeq
 * @returns {{box: Outbox, applied: Intent[]}}
 */
export function rebase(box, serverLastSeq) {
  const applied = box.filter((i) => i.seq <= serverLastSeq);
  const rest = box.filter((i) => i.seq > serverLastSeq).map((i, n) => ({ ...i, seq: serverLastSeq + 1 + n }));
  return { box: rest, applied };
}

/** @param {Outbox} box @param {number} seq */
export const find = (box, seq) => box.find((i) => i.seq === seq);
