// Which lines `dyno logs` keeps for --dyno, --process-type and --source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logFilter } from '../../../src/control/log-query.js';
import type { LogLine, LogSource } from '../../../src/core/types.js';

const line = (source: LogSource, dyno: string): LogLine => ({ ts: 0, source, dyno, stream: 'stdout', text: 'x' });
const lines = [line('app', 'web.1'), line('app', 'web.12'), line('heroku', 'web.1'), line('app', 'webhook.1'), line('heroku', 'router'), line('dyno', ''), line('app', 'api')];
const names = (ls: LogLine[]): string[] => ls.map((l) => `${l.source}[${l.dyno}]`);

const rows: Array<[string, Parameters<typeof logFilter>[0], string[]]> = [
  ['no filter keeps everything', {}, names(lines)],
  ['--dyno web.1 keeps only web.1, not web.12', { dyno: 'web.1' }, ['app[web.1]', 'heroku[web.1]']],
  ['--process-type web keeps web.N but not webhook.1', { type: 'web' }, ['app[web.1]', 'app[web.12]', 'heroku[web.1]']],
  ['--dyno router keeps the router lines', { dyno: 'router' }, ['heroku[router]']],
  ['--source app keeps app output and app[api]', { source: 'app' }, ['app[web.1]', 'app[web.12]', 'app[webhook.1]', 'app[api]']],
  ['--source heroku keeps the platform and dyno lines', { source: 'heroku' }, ['heroku[web.1]', 'heroku[router]', 'dyno[]']],
  ['filters combine', { type: 'web', source: 'heroku' }, ['heroku[web.1]']],
];
for (const [name, query, expected] of rows) {
  test(`logs filter: ${name}`, () => assert.deepEqual(names(lines.filter(logFilter(query))), expected));
}
