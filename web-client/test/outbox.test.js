import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as O from '../public/core/outbox.js';

const m = (seq, dx = 1) => ({ kind: 'move', seq, dx, dy: 0, to: { x: seq, y: 0 } });

test('add keeps seq contiguous', () => {
  const box = O.add(O.add(O.EMPTY, m(1)), m(2));
  assert.deepEqual(box.map((i) => i.seq), [1, 2]);
  assert.throws(() => O.add(box, m(4)), /does not follow/);
  assert.equal(O.EMPTY.length, 0);
});

test('ack clears that seq and every earlier one', () => {
  const { box, acked } = O.ack([m(1), m(2), m(3)], 2);
  assert.deepEqual(box.map((i) => i.seq), [3]);
  assert.deepEqual(acked.map((i) => i.seq), [1, 2]);
  assert.deepEqual(O.ack([m(3)], 1).box.map((i) => i.seq), [3], 'a replayed ack of an old seq changes nothing');
});

test('reject drops the refused intent and the later ones', () => {
  const { box, dropped } = O.reject([m(1), m(2), m(3)], 2);
  assert.deepEqual(box.map((i) => i.seq), [1]);
  assert.deepEqual(dropped.map((i) => i.seq), [2, 3]);
});

test('rebase drops what the server applied and renumbers the rest from its last seq', () => {
  assert.deepEqual(O.rebase([m(3), m(4), m(5)], 3).box.map((i) => i.seq), [4, 5]);
  assert.deepEqual(O.rebase([m(3), m(4)], 3).applied.map((i) => i.seq), [3]);
  assert.deepEqual(O.rebase([m(5), m(6)], 2).box.map((i) => i.seq), [3, 4], 'a server behind us: resend from its seq');
  assert.equal(O.find([m(1), m(2)], 2)?.seq, 2);
  assert.equal(O.find([m(1)], 9), undefined);
});
