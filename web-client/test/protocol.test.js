import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as P from '../public/core/protocol.js';

test('client frames keep type first and carry exactly the fields of the AsyncAPI', () => {
  assert.equal(P.move(3, 1, -1), '{"type":"intent.move","seq":3,"dx":1,"dy":-1}');
  assert.equal(P.chat(4, 'hi'), '{"type":"intent.chat","seq":4,"text":"hi"}');
  assert.equal(P.leave(), '{"type":"intent.leave"}');
  assert.equal(P.ping(), '{"type":"ping"}');
  assert.equal(P.resume(7), '{"type":"resume","lastSeq":7}');
  assert.equal(P.encodeIntent({ kind: 'move', seq: 1, dx: 0, dy: 1, to: { x: 0, y: 1 } }), '{"type":"intent.move","seq":1,"dx":0,"dy":1}');
  assert.equal(P.encodeIntent({ kind: 'chat', seq: 2, text: 'a' }), '{"type":"intent.chat","seq":2,"text":"a"}');
});

test('decodes every server frame', () => {
  assert.deepEqual(P.decode('{"type":"event.ack","seq":1}'), { type: 'event.ack', seq: 1 });
  assert.deepEqual(P.decode('{"type":"event.error","code":"SEQ_OUT_OF_ORDER","message":"m","transient":false,"seq":3}'),
    { type: 'event.error', code: 'SEQ_OUT_OF_ORDER', message: 'm', transient: false, seq: 3 });
  assert.deepEqual(P.decode('{"type":"event.error","code":"SERVICE_DEGRADED","message":"m","transient":true}'),
    { type: 'event.error', code: 'SERVICE_DEGRADED', message: 'm', transient: true, seq: null });
  assert.deepEqual(P.decode('{"type":"event.state_delta","characterId":"c","x":1,"y":2}'),
    { type: 'event.state_delta', characterId: 'c', x: 1, y: 2 });
  assert.deepEqual(P.decode('{"type":"event.chat","characterId":"c","text":"hi"}'), { type: 'event.chat', characterId: 'c', text: 'hi' });
  assert.deepEqual(P.decode('{"type":"pong"}'), { type: 'pong' });
  assert.deepEqual(P.decode('{"type":"event.session_replaced"}'), { type: 'event.session_replaced' });
  assert.deepEqual(P.decode('{"type":"event.version_mismatch","requiredBuild":"b2"}'), { type: 'event.version_mismatch', requiredBuild: 'b2' });
  assert.deepEqual(P.decode('{"type":"event.degraded","cache":"DOWN"}'), { type: 'event.degraded', cache: 'DOWN' });
  assert.deepEqual(P.decode('{"type":"event.degraded","cache":"UP"}'), { type: 'event.degraded', cache: 'UP' });
  assert.deepEqual(P.decode('{"type":"event.session_ended","reason":"INACTIVE"}'), { type: 'event.session_ended', reason: 'INACTIVE' });
  assert.deepEqual(P.decode('{"type":"event.snapshot","reason":"NEW_CONNECTION","lastSeq":0,"you":{"characterId":"me","x":0,"y":0},"players":[{"characterId":"o","x":1,"y":1}],"reconnectionToken":"T","connectionId":"C"}'),
    { type: 'event.snapshot', reason: 'NEW_CONNECTION', lastSeq: 0, you: { characterId: 'me', x: 0, y: 0 },
      players: [{ characterId: 'o', x: 1, y: 1 }], reconnectionToken: 'T', connectionId: 'C' });
  assert.deepEqual(P.decode('{"type":"event.resume","lastSeq":3,"deltas":[{"type":"event.state_delta","characterId":"me","x":2,"y":1},{"type":"event.chat","characterId":"o","text":"yo"},{"type":"weird"}],"reconnectionToken":"B"}'),
    { type: 'event.resume', lastSeq: 3, deltas: [{ type: 'event.state_delta', characterId: 'me', x: 2, y: 1 },
      { type: 'event.chat', characterId: 'o', text: 'yo' }], reconnectionToken: 'B', connectionId: null });
});

test('malformed frames decode as unknown instead of throwing', () => {
  for (const raw of ['not json', 'null', '42', '{"type":"event.ack"}', '{"type":"event.snapshot","lastSeq":0}',
    '{"message": "Internal server error", "connectionId":"x"}', '{"type":"event.degraded","cache":"MAYBE"}',
    '{"type":"event.state_delta","characterId":"c","x":"1","y":2}', '{"type":"event.error"}']) {
    assert.equal(P.decode(raw).type, 'unknown', raw);
  }
});

test('socket address puts the token in the subprotocol, resume parameters in the query', () => {
  assert.deepEqual(P.socketAddress({ wsUrl: 'ws://h/local', sessionId: 's 1', token: 'tok' }),
    { url: 'ws://h/local?sessionId=s+1', protocols: ['tilemud.v1', 'tok'] });
  assert.deepEqual(P.socketAddress({ wsUrl: 'ws://h/local', sessionId: 's', token: 'tok', reconnectionToken: 'R', lastSeq: 4 }),
    { url: 'ws://h/local?sessionId=s&reconnectionToken=R&lastSeq=4', protocols: ['tilemud.v1', 'tok'] });
  assert.deepEqual(P.socketAddress({ wsUrl: 'ws://h/local', sessionId: 's', token: 'tok', tokenInQuery: true }),
    { url: 'ws://h/local?sessionId=s&token=tok', protocols: [] });
});
