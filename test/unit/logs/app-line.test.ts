import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppLine } from '../../../src/logs/app-line.js';
import { ByteBatch } from '../../../src/logs/byte-batch.js';
import { Printer, type LogFormat } from '../../../src/logs/printer.js';
import { Writable } from 'node:stream';

process.env.TZ = 'UTC';
const T = Date.UTC(2012, 7, 11, 12, 42, 0);
// Two lines in one chunk, the second with invalid UTF-8 and ANSI, as a pipe read delivers them.
const chunk = Buffer.concat([Buffer.from('first\n\x1b[31mred\x1b[0m '), Buffer.from([0xff]), Buffer.from('\ntail')]);
const second = (): AppLine => new AppLine(T, 'web.1', 'stdout', chunk, 6, chunk.indexOf(10, 6));

test('app line: a range of its chunk: bytes, text and JSON cover exactly that range', () => {
  const line = second();
  assert.deepEqual(line.bytes, Buffer.concat([Buffer.from('\x1b[31mred\x1b[0m '), Buffer.from([0xff])]));
  assert.equal(line.text, '\x1b[31mred\x1b[0m \ufffd');
  assert.deepEqual(line.toJSON(), { ts: T, source: 'app', dyno: 'web.1', stream: 'stdout', text: '\x1b[31mred\x1b[0m \ufffd' });
});

test('app line: without a range it is the whole chunk', () => {
  const line = new AppLine(T, 'web.1', 'stderr', Buffer.from('whole'));
  assert.equal(line.bytes.toString(), 'whole');
  assert.equal(line.text, 'whole');
});

const rangeRows = [
  { name: 'a short range (copied byte by byte)', start: 2, end: 7 },
  { name: 'a long range (copied as one block)', start: 3, end: 90 },
  { name: 'an empty range', start: 5, end: 5 },
];
for (const row of rangeRows) {
  test(`byte batch: putRange appends ${row.name} exactly`, () => {
    const src = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
    const batch = new ByteBatch();
    batch.putString('>');
    batch.putRange(src, row.start, row.end);
    assert.deepEqual(batch.take(), Buffer.concat([Buffer.from('>'), src.subarray(row.start, row.end)]));
  });
}

test('byte batch: putRange grows the buffer past its first 64 KiB', () => {
  const src = Buffer.alloc(40_000, 0x61);
  const batch = new ByteBatch();
  for (let i = 0; i < 5; i++) batch.putRange(src, 0, src.length);
  const out = batch.take();
  assert.equal(out.length, 200_000);
  assert.ok(out.every((b) => b === 0x61));
});

class Sink extends Writable {
  text = Buffer.alloc(0);
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text = Buffer.concat([this.text, chunk]);
    cb();
  }
}

const printRows: Array<{ format: LogFormat; stripAnsi?: boolean; want: Buffer }> = [
  { format: 'pretty', want: Buffer.concat([Buffer.from('12:42:00 web.1 | \x1b[31mred\x1b[0m '), Buffer.from([0xff, 10])]) },
  { format: 'heroku', want: Buffer.concat([Buffer.from('2012-08-11T12:42:00.000000+00:00 app[web.1]: \x1b[31mred\x1b[0m '), Buffer.from([0xff, 10])]) },
  { format: 'heroku', stripAnsi: true, want: Buffer.concat([Buffer.from('2012-08-11T12:42:00.000000+00:00 app[web.1]: red '), Buffer.from([0xff, 10])]) },
];
for (const row of printRows) {
  test(`printer: --format ${row.format}${row.stripAnsi ? ' (ANSI stripped)' : ''} prints an app line's range of its chunk byte for byte`, async () => {
    const out = new Sink();
    const p = new Printer({ out, format: row.format, colorLevel: 0, timestamps: true, types: ['web'], stripAnsi: row.stripAnsi });
    p.write(second());
    await p.flush();
    assert.deepEqual(out.text, row.want);
  });
}
