// `dyno ps` text: exact output for a fixed set of rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPs, formatRss, formatUptime } from '../../../src/control/format-ps.js';
import type { DynoRow } from '../../../src/control/protocol.js';

const uptimes: Array<[number | null, string]> = [[null, '-'], [999, '0s'], [45_000, '45s'], [372_000, '6m12s'], [3 * 3600_000 + 240_000, '3h04m'], [53 * 3600_000, '2d05h']];
for (const [ms, text] of uptimes) test(`uptime ${ms} ms is ${text}`, () => assert.equal(formatUptime(ms), text));

const rss: Array<[number | null, string]> = [[null, '-'], [0, '0.0 MB'], [47_751_168, '45.5 MB']];
for (const [bytes, text] of rss) test(`RSS ${bytes} bytes is ${text}`, () => assert.equal(formatRss(bytes), text));

const row = (o: Partial<DynoRow>): DynoRow => ({ name: 'web.1', type: 'web', state: 'up', pid: 4242, port: 5007, uptimeMs: 65_000, restarts: 0, rssBytes: 10 * 1048576, command: 'node web.js', ...o });

test('ps: aligned rows, then the formation line ready to paste into dyno scale', () => {
  const text = formatPs([row({}), row({ name: 'worker.1', type: 'worker', state: 'crashed', pid: null, port: 5107, uptimeMs: null, restarts: 3, rssBytes: null, command: 'node worker.js' })], { web: 1, worker: 1, clock: 0 });
  assert.equal(
    text,
    [
      'NAME      STATE    PID   PORT  UPTIME  RESTARTS  RSS      COMMAND',
      'web.1     up       4242  5007  1m05s   0         10.0 MB  node web.js',
      'worker.1  crashed  -     5107  -       3         -        node worker.js',
      '',
      'web=1 worker=1',
      '',
    ].join('\n'),
  );
});

test('ps with no dynos says so and prints (none)', () => {
  assert.equal(formatPs([], { web: 0 }), 'No dynos running.\n\n(none)\n');
});
