import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setImmediate as nextTick } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { LogLine } from '../../../src/core/types.js';
import { Printer, type LogFormat } from '../../../src/logs/printer.js';
import { assertNoSurvivors, uniqueMarker } from '../../helpers/survivors.js';
import { waitFor } from '../../helpers/wait-for.js';

process.env.TZ = 'UTC';
const T = Date.UTC(2012, 7, 11, 12, 42, 0);
const line = (o: Partial<LogLine> = {}): LogLine => ({ ts: T, source: 'app', dyno: 'web.1', stream: 'stdout', text: 'hello', ...o });

// A real Writable that records every write call; `hold` keeps write callbacks pending until release().
class Recorder extends Writable {
  writes: string[] = [];
  private held: Array<() => void> = [];
  hold = false;
  constructor(highWaterMark = 16 * 1024) {
    super({ highWaterMark, decodeStrings: false });
  }
  override _write(chunk: string | Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.writes.push(chunk.toString());
    if (this.hold) this.held.push(() => cb());
    else cb();
  }
  release(): void {
    this.hold = false;
    for (const cb of this.held.splice(0)) cb();
  }
  get text(): string {
    return this.writes.join('');
  }
}

function printer(out: NodeJS.WritableStream, o: { format?: LogFormat; onBrokenPipe?: () => void; onPressure?: (b: boolean) => void } = {}): Printer {
  return new Printer({ out, format: o.format ?? 'pretty', colorLevel: 0, timestamps: true, types: ['web'], onBrokenPipe: o.onBrokenPipe, onPressure: o.onPressure });
}

const formatRows: Array<{ format: LogFormat; want: string }> = [
  { format: 'pretty', want: '12:42:00 web.1 | hello\n' },
  { format: 'heroku', want: '2012-08-11T12:42:00.000000+00:00 app[web.1]: hello\n' },
  { format: 'json', want: '{"ts":"2012-08-11T12:42:00.000000+00:00","source":"app","dyno":"web.1","stream":"stdout","text":"hello"}\n' },
];
for (const row of formatRows) {
  test(`printer: --format ${row.format} writes whole formatted lines`, async () => {
    const out = new Recorder();
    const p = printer(out, { format: row.format });
    p.write(line());
    await p.flush();
    assert.equal(out.text, row.want);
  });
}

test('printer: heroku and json never carry ANSI even with colour on', async () => {
  for (const format of ['heroku', 'json'] as const) {
    const out = new Recorder();
    const p = new Printer({ out, format, colorLevel: 3, timestamps: true, types: ['web'] });
    p.write(line({ stream: 'stderr' }));
    await p.flush();
    assert.ok(!out.text.includes('\x1b'), format);
  }
});

test('printer: reserveName pads before the first line', async () => {
  const out = new Recorder();
  const p = printer(out);
  p.reserveName('worker.1');
  p.write(line());
  await p.flush();
  assert.equal(out.text, '12:42:00 web.1    | hello\n');
});

test('printer: every line of one tick goes out in ONE write', async () => {
  const out = new Recorder();
  const p = printer(out);
  for (let i = 0; i < 1000; i++) p.write(line({ text: `line ${i}` }));
  assert.equal(out.writes.length, 0, 'nothing written synchronously');
  await nextTick();
  assert.equal(out.writes.length, 1);
  assert.equal(out.writes[0]!.split('\n').length, 1001);
  assert.ok(out.writes[0]!.startsWith('12:42:00 web.1 | line 0\n'));
  assert.ok(out.writes[0]!.endsWith('12:42:00 web.1 | line 999\n'));
});

test('printer: a batch that reaches maxBatchBytes is written at once, so a stalled out holds a bounded amount', async () => {
  const out = new Recorder(64);
  out.hold = true;
  const pressure: boolean[] = [];
  const p = new Printer({ out, format: 'pretty', colorLevel: 0, timestamps: true, types: ['web'], maxBatchBytes: 1000, maxStalledBytes: 100_000, onPressure: (b) => pressure.push(b) });
  // `yes`: one tick of reads holds far more lines than one batch; each read's lines come in one go.
  let next = 0;
  for (let chunk = 0; chunk < 10 && !pressure.includes(true); chunk++) {
    for (let i = 0; i < 20; i++) p.write(line({ text: `line ${next++}` }));
    await Promise.resolve();
  }
  assert.equal(out.writes.length, 1, 'the first full batch went out within the tick; then out stalled');
  assert.equal(out.writes[0]!.split('\n').length - 1, next, 'whole chunks: every line written so far');
  assert.ok(next < 100, `stalled after ${next} lines`);
  assert.deepEqual(pressure, [true]);
  // The gate stopped the reads; the rest arrives after the drain.
  for (; next < 1000; next++) p.write(line({ text: `line ${next}` }));
  const flushed = p.flush();
  out.release();
  await waitFor(() => pressure.length === 2, { timeoutMs: 1000 });
  out.release();
  await flushed;
  const texts = out.text.trimEnd().split('\n').map((l) => l.slice('12:42:00 web.1 | '.length));
  assert.deepEqual(texts, Array.from({ length: 1000 }, (_, i) => `line ${i}`), 'no line lost or reordered');
});

test('printer: lines of later ticks go out in later writes, in order', async () => {
  const out = new Recorder();
  const p = printer(out);
  p.write(line({ text: 'a' }));
  p.write(line({ text: 'b' }));
  await nextTick();
  p.write(line({ text: 'c' }));
  await nextTick();
  assert.deepEqual(out.writes, ['12:42:00 web.1 | a\n12:42:00 web.1 | b\n', '12:42:00 web.1 | c\n']);
});

test('printer: flush() writes at once and resolves when the write is done', async () => {
  const out = new Recorder();
  out.hold = true;
  const p = printer(out);
  p.write(line());
  let done = false;
  const flushed = p.flush().then(() => (done = true));
  assert.equal(out.writes.length, 1, 'written synchronously by flush()');
  await nextTick();
  assert.equal(done, false, 'not resolved while the write is pending');
  out.release();
  await flushed;
  assert.equal(done, true);
});

test('printer: flush() with nothing written resolves at once', async () => {
  await printer(new Recorder()).flush();
});

test('printer: backpressure holds lines without losing or reordering any, then writes them in one go', async () => {
  const out = new Recorder(64);
  out.hold = true;
  const pressure: boolean[] = [];
  const p = printer(out, { onPressure: (b) => pressure.push(b) });
  p.write(line({ text: 'x'.repeat(100) }));
  await nextTick();
  assert.deepEqual(pressure, [true], 'out is over its highWaterMark');
  for (let tick = 0; tick < 5; tick++) {
    for (let i = 0; i < 10; i++) p.write(line({ text: `t${tick} l${i}` }));
    await nextTick();
  }
  assert.equal(out.writes.length, 1, 'nothing more written while stalled');
  const flushed = p.flush();
  out.release();
  await waitFor(() => out.writes.length === 2, { timeoutMs: 1000 });
  out.release();
  await flushed;
  assert.deepEqual(pressure, [true, false]);
  const texts = out.text.trimEnd().split('\n').map((l) => l.slice('12:42:00 web.1 | '.length));
  const want = ['x'.repeat(100), ...Array.from({ length: 50 }, (_, k) => `t${Math.floor(k / 10)} l${k % 10}`)];
  assert.deepEqual(texts, want);
});

test('printer: a write error stops all output and calls onBrokenPipe once', async () => {
  const out = new Writable({ write: (_c, _e, cb) => cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) });
  let broken = 0;
  const p = printer(out, { onBrokenPipe: () => broken++ });
  p.write(line());
  await waitFor(() => p.isBroken, { timeoutMs: 1000 });
  p.write(line());
  p.write(line());
  await p.flush();
  await nextTick();
  assert.equal(broken, 1);
});

test('printer: EPIPE from a real pipe whose reader exited (| head -n1)', { timeout: 10_000 }, async () => {
  const marker = uniqueMarker();
  // A reader that takes one line and exits, closing the pipe's read end (like `head -n1`).
  const reader = spawn(process.execPath, ['-e', "process.stdin.once('data', () => process.exit(0))", marker], { stdio: ['pipe', 'ignore', 'ignore'] });
  const stdin = reader.stdin!;
  let calls = 0;
  const realWrite = stdin.write.bind(stdin) as (...a: unknown[]) => boolean;
  (stdin as unknown as { write: (...a: unknown[]) => boolean }).write = (...a: unknown[]) => (calls++, realWrite(...a));
  let broken = 0;
  const p = printer(stdin, { onBrokenPipe: () => broken++ });
  await waitFor(() => (p.write(line()), p.isBroken), { timeoutMs: 5000, intervalMs: 5, what: 'EPIPE' });
  const callsAtBreak = calls;
  for (let i = 0; i < 100; i++) p.write(line());
  await p.flush();
  await nextTick();
  assert.equal(broken, 1, 'onBrokenPipe called exactly once');
  assert.equal(calls, callsAtBreak, 'nothing written after the error');
  await assertNoSurvivors(marker);
});

test('printer: EPIPE on process.stdout (dyno | head -n1) is reported, not thrown', { timeout: 10_000 }, async () => {
  const marker = uniqueMarker();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-printer-'));
  const printerUrl = new URL('../../../src/logs/printer.ts', import.meta.url).href;
  const script = path.join(dir, 'flood.ts');
  fs.writeFileSync(script, `import { Printer } from ${JSON.stringify(printerUrl)};
const p = new Printer({ out: process.stdout, format: 'pretty', colorLevel: 0, timestamps: true, types: ['web'],
  onBrokenPipe: () => { process.stderr.write('BROKEN\\n'); clearInterval(timer); } });
const timer = setInterval(() => { for (let i = 0; i < 100; i++) p.write({ ts: Date.now(), source: 'app', dyno: 'web.1', stream: 'stdout', text: 'x' }); }, 1);
`);
  try {
    const child = spawn('/bin/sh', ['-c', `"$0" --import tsx "$1" ${marker} | head -n1 >/dev/null`, process.execPath, script], {
      cwd: path.dirname(fileURLToPath(import.meta.url)),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(err, 'BROKEN\n');
    assert.equal(code, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await assertNoSurvivors(marker);
  }
});
