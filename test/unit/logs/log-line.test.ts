import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLine } from '../../../src/core/types.js';
import { dynoNotice, herokuLine } from '../../../src/logs/log-line.js';

const T = Date.UTC(2012, 7, 11, 12, 42, 0);

const rows: Array<{ name: string; got: LogLine; want: LogLine }> = [
  { name: 'herokuLine is heroku[<dyno>] on stdout', got: herokuLine(T, 'web.1', 'State changed from starting to up'), want: { ts: T, source: 'heroku', dyno: 'web.1', stream: 'stdout', text: 'State changed from starting to up' } },
  { name: 'dynoNotice defaults to dyno[manager] on stdout', got: dynoNotice(T, 'Stopping all processes with SIGTERM'), want: { ts: T, source: 'dyno', dyno: '', stream: 'stdout', text: 'Stopping all processes with SIGTERM' } },
  { name: 'dynoNotice about one dyno on stderr', got: dynoNotice(T, 'could not start /bin/sh: boom', { dyno: 'web.1', stream: 'stderr' }), want: { ts: T, source: 'dyno', dyno: 'web.1', stream: 'stderr', text: 'could not start /bin/sh: boom' } },
  { name: 'dynoNotice with only a dyno stays on stdout', got: dynoNotice(T, 'x', { dyno: 'worker.2' }), want: { ts: T, source: 'dyno', dyno: 'worker.2', stream: 'stdout', text: 'x' } },
];
for (const row of rows) {
  test(`log line: ${row.name}`, () => assert.deepEqual(row.got, row.want));
}
