import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../helpers/fake-clock.js';
import { CUT_MARK, LineSplitter } from '../../../src/logs/line-splitter.js';


interface Got {
  lines: string[];
  bytes: Buffer[];
  stamps: number[];
  splitter: LineSplitter;
  clock: FakeClock;
}

function splitter(o: { idleFlushMs?: number; maxLineBytes?: number } = {}, via: 'onLine' | 'onSlice' = 'onLine'): Got {
  const clock = new FakeClock();
  const got: Got = { lines: [], bytes: [], stamps: [], clock, splitter: undefined as unknown as LineSplitter };
  const onLine = (bytes: Buffer, ts: number): void => void (got.bytes.push(Buffer.from(bytes)), got.lines.push(bytes.toString()), got.stamps.push(ts));
  got.splitter =
    via === 'onLine'
      ? new LineSplitter({ ...o, clock, onLine })
      : new LineSplitter({ ...o, clock, onSlice: (chunk, start, end, ts) => onLine(Buffer.from(chunk.subarray(start, end)), ts) });
  return got;
}

// --- Chunk tables: each row feeds chunks (with optional clock steps), then end() ---
type Step = string | Buffer | { advanceMs: number };
const rows: Array<{ name: string; steps: Step[]; want: string[]; end?: boolean }> = [
  { name: 'emits each complete line without its newline', steps: ['a\nb\n'], want: ['a', 'b'] },
  { name: 'keeps blank lines (nf and goreman drop them)', steps: ['a\n\n\nb\n'], want: ['a', '', '', 'b'] },
  { name: 'strips the \\r of \\r\\n', steps: ['a\r\nb\r\n'], want: ['a', 'b'] },
  { name: 'strips a \\r whose \\n comes in the next chunk', steps: ['a\r', '\nb\n'], want: ['a', 'b'] },
  { name: 'keeps a lone \\r inside a line (progress bars)', steps: ['10%\r20%\n'], want: ['10%\r20%'] },
  { name: 'joins a line split across chunks (nf prints the parts as two lines)', steps: ['hel', 'lo\n'], want: ['hello'] },
  { name: 'holds a partial line until its newline', steps: ['abc'], want: [], end: false },
  { name: 'end() flushes the partial last line (forego loses it)', steps: ['a\nlast'], want: ['a', 'last'] },
  { name: 'end() strips a trailing \\r of the last line', steps: ['last\r'], want: ['last'] },
  { name: 'end() with nothing pending emits nothing', steps: ['a\n'], want: ['a'] },
  { name: 'end() turns a truncated UTF-8 character into U+FFFD', steps: [Buffer.from([0x61, 0xe2, 0x82])], want: ['a\ufffd'] },
  { name: 'idle partial line is flushed after idleFlushMs', steps: ['prompt> ', { advanceMs: 1000 }], want: ['prompt> '], end: false },
  { name: 'partial line is not flushed before idleFlushMs', steps: ['prompt> ', { advanceMs: 999 }], want: [], end: false },
  { name: 'more bytes re-arm the idle timer', steps: ['a', { advanceMs: 500 }, 'b', { advanceMs: 500 }], want: [], end: false },
  { name: 'idle timer counts from the last write', steps: ['a', { advanceMs: 500 }, 'b', { advanceMs: 1000 }], want: ['ab'], end: false },
  { name: 'newline after an idle-flushed partial line adds no blank line', steps: ['Loading...', { advanceMs: 1000 }, '\nnext\n'], want: ['Loading...', 'next'] },
  { name: '\\r\\n after an idle-flushed partial line adds no blank line', steps: ['Loading...', { advanceMs: 1000 }, '\r\nnext\n'], want: ['Loading...', 'next'] },
  { name: 'a real blank line after an idle flush is kept', steps: ['Loading...', { advanceMs: 1000 }, '\n\nnext\n'], want: ['Loading...', '', 'next'] },
  { name: 'text after an idle flush starts a new line', steps: ['Loading...', { advanceMs: 1000 }, ' done\n'], want: ['Loading...', ' done'] },
  { name: 'idle flush strips a trailing \\r', steps: ['50%\r', { advanceMs: 1000 }], want: ['50%'], end: false },
  { name: 'a line written in two parts 100 ms apart comes out whole (20 ms split it)', steps: ['caf', { advanceMs: 100 }, 'é €\n'], want: ['café €'] },
  { name: 'a partial line is held for up to 1 s', steps: ['half', { advanceMs: 999 }, ' line\n'], want: ['half line'] },
];

for (const row of rows) for (const via of ['onLine', 'onSlice'] as const) {
  test(`line splitter: ${row.name}${via === 'onSlice' ? ' (lines as ranges of the chunk)' : ''}`, () => {
    const got = splitter({}, via);
    for (const step of row.steps) {
      if (typeof step === 'object' && 'advanceMs' in step) got.clock.advance(step.advanceMs);
      else got.splitter.write(Buffer.isBuffer(step) ? step : Buffer.from(step));
    }
    if (row.end !== false) got.splitter.end();
    assert.deepEqual(got.lines, row.want);
  });
}

// --- UTF-8 split at every byte offset: no U+FFFD, nothing lost, lines intact ---
const utf8Text = 'héllo wörld\n中文日志\r\n\nemoji 😀 ok\n€uro tail';
const utf8Bytes = Buffer.from(utf8Text);
const utf8Want = ['héllo wörld', '中文日志', '', 'emoji 😀 ok', '€uro tail'];
for (let i = 1; i < utf8Bytes.length; i++) {
  test(`line splitter: UTF-8 split at byte ${i} of ${utf8Bytes.length} arrives intact`, () => {
    const got = splitter();
    got.splitter.write(utf8Bytes.subarray(0, i));
    got.splitter.write(utf8Bytes.subarray(i));
    got.splitter.end();
    assert.deepEqual(got.lines, utf8Want);
  });
}

test('line splitter: UTF-8 fed one byte per chunk arrives intact', () => {
  const got = splitter();
  for (let i = 0; i < utf8Bytes.length; i++) got.splitter.write(utf8Bytes.subarray(i, i + 1));
  got.splitter.end();
  assert.deepEqual(got.lines, utf8Want);
});

test('line splitter: an idle flush never splits a multi-byte character', () => {
  const got = splitter();
  const euro = Buffer.from('€');
  got.splitter.write(Buffer.concat([Buffer.from('ab'), euro.subarray(0, 1)]));
  got.clock.advance(1000);
  got.splitter.write(Buffer.concat([euro.subarray(1), Buffer.from('cd\n')]));
  got.splitter.end();
  assert.deepEqual(got.lines, ['ab', '€cd']);
  assert.ok(!got.lines.join('').includes('\ufffd'));
});

// --- Timestamps: assembly time, not idle-flush time of a later chunk ---
test('line splitter: lines carry the time their chunk arrived', () => {
  const got = splitter();
  const t0 = got.clock.now();
  got.splitter.write(Buffer.from('a\npart'));
  got.clock.advance(5);
  got.splitter.write(Buffer.from('ial\n'));
  assert.deepEqual(got.stamps, [t0, t0 + 5]);
});

test('line splitter: an idle-flushed line carries the flush time', () => {
  const got = splitter({ idleFlushMs: 50 });
  const t0 = got.clock.now();
  got.splitter.write(Buffer.from('partial'));
  got.clock.advance(50);
  assert.deepEqual(got.stamps, [t0 + 50]);
});

test('line splitter: end() cancels the idle timer', () => {
  const got = splitter();
  got.splitter.write(Buffer.from('partial'));
  got.splitter.end();
  assert.equal(got.clock.dueIn().length, 0);
  got.clock.advance(100);
  assert.deepEqual(got.lines, ['partial']);
});

// --- Long lines: cut at maxLineBytes (never inside a character), every piece but the last marked ---
const cutRows: Array<{ name: string; max: number; input: string; want: string[] }> = [
  { name: 'a line of exactly maxLineBytes is not cut', max: 8, input: '12345678\n', want: ['12345678'] },
  { name: 'a line one byte over is cut and marked', max: 8, input: '123456789\n', want: [`12345678${CUT_MARK}`, '9'] },
  { name: 'a long line becomes several marked pieces', max: 4, input: 'aaaabbbbcc\n', want: [`aaaa${CUT_MARK}`, `bbbb${CUT_MARK}`, 'cc'] },
  { name: 'a cut never splits a 3-byte character', max: 4, input: 'ab€€\n', want: [`ab${CUT_MARK}`, `€${CUT_MARK}`, '€'] },
  { name: 'a cut never splits a 4-byte character', max: 5, input: 'abc😀d\n', want: [`abc${CUT_MARK}`, '😀d'] },
  { name: 'a partial line over the limit is cut before its newline comes', max: 4, input: 'aaaabbbbcc', want: [`aaaa${CUT_MARK}`, `bbbb${CUT_MARK}`] },
  { name: 'a maxLineBytes smaller than a character still makes progress', max: 1, input: '€a\n', want: [`€${CUT_MARK}`, 'a'] },
];
for (const row of cutRows) {
  test(`line splitter: ${row.name}`, () => {
    const got = splitter({ maxLineBytes: row.max });
    got.splitter.write(Buffer.from(row.input));
    assert.deepEqual(got.lines, row.want);
  });
}

test('line splitter: default cut is 64 KiB, pieces rejoin to the original line', () => {
  const got = splitter();
  const line = 'x'.repeat(64 * 1024 * 2 + 100);
  for (let i = 0; i < line.length; i += 1000) got.splitter.write(Buffer.from(line.slice(i, i + 1000)));
  got.splitter.write(Buffer.from('\n'));
  assert.equal(got.lines.length, 3);
  assert.equal(got.lines[0], 'x'.repeat(65536) + CUT_MARK);
  assert.equal(got.lines[1], 'x'.repeat(65536) + CUT_MARK);
  assert.equal(got.lines[2], 'x'.repeat(100));
});

test('line splitter: a 64 KiB line of multi-byte text is cut on character boundaries', () => {
  const got = splitter();
  const line = 'é'.repeat(40_000) + '😀'.repeat(10_000);
  got.splitter.write(Buffer.from(line + '\n'));
  assert.ok(got.lines.length > 1);
  for (const piece of got.lines) {
    assert.ok(!piece.includes('\ufffd'), 'no replacement characters');
    assert.ok(Buffer.byteLength(piece.replace(CUT_MARK, '')) <= 65536);
  }
  assert.equal(got.lines.map((p) => (p.endsWith(CUT_MARK) ? p.slice(0, -CUT_MARK.length) : p)).join(''), line);
});

// --- Bytes pass through exactly: the splitter never decodes ---
const byteRows: Array<{ name: string; chunks: number[][]; want: number[][] }> = [
  { name: 'invalid UTF-8 bytes come out unchanged', chunks: [[0x61, 0xff, 0xfe, 0x62, 0x0a]], want: [[0x61, 0xff, 0xfe, 0x62]] },
  { name: 'a lone continuation byte split across chunks comes out unchanged', chunks: [[0x61, 0x80], [0xc0, 0x0a]], want: [[0x61, 0x80, 0xc0]] },
  { name: 'a truncated character at end() keeps its bytes', chunks: [[0x61, 0xe2, 0x82]], want: [[0x61, 0xe2, 0x82]] },
  { name: 'NUL and ANSI bytes are kept', chunks: [[0x00, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x0a]], want: [[0x00, 0x1b, 0x5b, 0x33, 0x31, 0x6d]] },
];
for (const row of byteRows) {
  test(`line splitter: ${row.name}`, () => {
    const got = splitter();
    for (const c of row.chunks) got.splitter.write(Buffer.from(c));
    got.splitter.end();
    assert.deepEqual(got.bytes.map((b) => [...b]), row.want);
  });
}

test('line splitter: while paused, a partial line is not flushed as idle', () => {
  const got = splitter();
  got.splitter.write(Buffer.from('half'));
  got.splitter.pause();
  got.clock.advance(5000);
  assert.deepEqual(got.lines, []);
  got.splitter.resume();
  got.splitter.write(Buffer.from(' line\n'));
  assert.deepEqual(got.lines, ['half line']);
});
