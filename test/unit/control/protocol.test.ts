// The control protocol: request decoding (every way a request can be wrong is answered), replies and
// streamed lines round-trip, and NDJSON framing survives split chunks and multi-byte characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, decodeRequest, encodeLine, encodeReply, encodeRequest, LineReader, MAX_MESSAGE_BYTES, PROTOCOL_VERSION, type Request } from '../../../src/control/protocol.js';
import type { LogLine } from '../../../src/core/types.js';

const requests: Array<[string, Request]> = [
  ['hello', { verb: 'hello' }],
  ['ps', { verb: 'ps' }],
  ['scale with several tokens', { verb: 'scale', args: ['web=3', 'worker+1'] }],
  ['scale with none (print the formation)', { verb: 'scale', args: [] }],
  ['restart everything', { verb: 'restart' }],
  ['restart one dyno', { verb: 'restart', target: 'web.1' }],
  ['stop a type', { verb: 'stop', target: 'worker' }],
  ['logs with every filter', { verb: 'logs', num: 5, dyno: 'web.1', type: 'web', source: 'heroku', follow: true }],
  ['text with a newline and non-ASCII stays one line', { verb: 'stop', target: 'wéb\n.1 ✓' }],
];
for (const [name, request] of requests) {
  test(`request round-trips: ${name}`, () => {
    const line = encodeRequest(7, request);
    assert.equal(line.indexOf('\n'), line.length - 1, 'exactly one line');
    assert.deepEqual(decodeRequest(line.trimEnd()), { ok: true, id: 7, request });
  });
}

const v = PROTOCOL_VERSION;
const refused: Array<[string, string, number | null, RegExp]> = [
  ['not JSON', 'ps please', null, /not JSON/],
  ['a JSON array', '[1,2]', null, /not a JSON object/],
  ['no id', JSON.stringify({ v, verb: 'ps' }), null, /"id"/],
  ['a fractional id', JSON.stringify({ v, id: 1.5, verb: 'ps' }), null, /"id"/],
  ['another protocol version', JSON.stringify({ v: 99, id: 3, verb: 'ps' }), 3, /protocol version 99/],
  ['no version', JSON.stringify({ id: 3, verb: 'ps' }), 3, /protocol version undefined/],
  ['an unknown verb', JSON.stringify({ v, id: 4, verb: 'explode' }), 4, /unknown verb "explode"/],
  ['a verb inherited from Object', JSON.stringify({ v, id: 4, verb: 'constructor' }), 4, /unknown verb/],
  ['scale without args', JSON.stringify({ v, id: 5, verb: 'scale' }), 5, /args/],
  ['scale with a number among args', JSON.stringify({ v, id: 5, verb: 'scale', args: ['web=1', 2] }), 5, /args/],
  ['stop without a target', JSON.stringify({ v, id: 6, verb: 'stop' }), 6, /target/],
  ['restart with a numeric target', JSON.stringify({ v, id: 6, verb: 'restart', target: 1 }), 6, /target/],
  ['logs with a negative num', JSON.stringify({ v, id: 8, verb: 'logs', num: -1, follow: false }), 8, /num/],
  ['logs with an unknown source', JSON.stringify({ v, id: 8, verb: 'logs', num: 1, follow: false, source: 'kernel' }), 8, /source/],
  ['logs without follow', JSON.stringify({ v, id: 8, verb: 'logs', num: 1 }), 8, /follow/],
];
for (const [name, text, id, message] of refused) {
  test(`request refused with CONTROL_PROTOCOL: ${name}`, () => {
    const decoded = decodeRequest(text);
    assert.equal(decoded.ok, false);
    if (decoded.ok) return;
    assert.equal(decoded.id, id);
    assert.equal(decoded.error.code, 'CONTROL_PROTOCOL');
    assert.match(decoded.error.message, message);
  });
}

const logLine: LogLine = { ts: 1344688920123.456, source: 'app', dyno: 'web.1', stream: 'stdout', text: 'GET / "ok"' };
const messages: Array<[string, string, ReturnType<typeof decodeMessage>]> = [
  ['an ok reply carries its fields', encodeReply(2, { ok: true, body: { formation: { web: 3 } } }), { kind: 'reply', ok: true, body: { formation: { web: 3 } } }],
  ['a body cannot fake ok', encodeReply(2, { ok: true, body: { ok: false } }), { kind: 'reply', ok: true, body: {} }],
  ['an error reply carries code, message, hint', encodeReply(2, { ok: false, error: { code: 'UNKNOWN_TYPE', message: 'no', hint: 'h' } }), { kind: 'reply', ok: false, error: { code: 'UNKNOWN_TYPE', message: 'no', hint: 'h' } }],
  ['a streamed line', encodeLine(2, logLine), { kind: 'line', line: logLine }],
  ['a reply to another request is not ours', encodeReply(3, { ok: true, body: {} }), null],
  ['an error without a message is unreadable', JSON.stringify({ v, id: 2, ok: false, error: { code: 'X' } }), null],
  ['neither ok nor a line is unreadable', JSON.stringify({ v, id: 2 }), null],
  ['garbage is unreadable', '<html>', null],
];
for (const [name, text, expected] of messages) {
  test(`client decodes: ${name}`, () => assert.deepEqual(decodeMessage(text.trimEnd(), 2), expected));
}

test('line reader: whole lines across chunks, a multi-byte character split between chunks, blank lines skipped', () => {
  const reader = new LineReader();
  const bytes = Buffer.from('{"a":"é✓"}\n\n{"b":1}\n{"c"');
  const out = [...reader.push(bytes.subarray(0, 7)), ...reader.push(bytes.subarray(7, 9)), ...reader.push(bytes.subarray(9))];
  assert.deepEqual(out, ['{"a":"é✓"}', '{"b":1}']);
  assert.deepEqual(reader.push(Buffer.from(':2}\n')), ['{"c":2}']);
});

test('line reader refuses a line longer than the limit instead of buffering forever', () => {
  const reader = new LineReader();
  assert.throws(() => reader.push(Buffer.alloc(MAX_MESSAGE_BYTES + 1, 'x')), RangeError);
});
