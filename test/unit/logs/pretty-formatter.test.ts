import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLine } from '../../../src/core/types.js';
import { PrettyFormatter } from '../../../src/logs/pretty-formatter.js';

// The pretty time is local time: pin the zone so the expected strings are exact.
process.env.TZ = 'UTC';

const T = Date.UTC(2012, 7, 11, 12, 42, 0);
const line = (o: Partial<LogLine>): LogLine => ({ ts: T, source: 'app', dyno: 'web.1', stream: 'stdout', text: 'hello', ...o });
const stop: Partial<LogLine> = { source: 'dyno', dyno: '', text: 'Stopping all processes with SIGTERM' };
const routerOk: Partial<LogLine> = { source: 'heroku', dyno: 'router', text: 'at=info method=GET path="/" status=200' };
const routerErr: Partial<LogLine> = { source: 'heroku', dyno: 'router', text: 'at=error code=H12 desc="Request timeout" status=503' };

// Colour codes chalk emits at level 1.
const cyan = (s: string): string => `\x1b[36m${s}\x1b[39m`;
const yellow = (s: string): string => `\x1b[33m${s}\x1b[39m`;
const green = (s: string): string => `\x1b[32m${s}\x1b[39m`;
const red = (s: string): string => `\x1b[31m${s}\x1b[39m`;
const sys = (s: string): string => `\x1b[1m\x1b[97m${s}\x1b[39m\x1b[22m`;

interface Row {
  name: string;
  lines: Array<Partial<LogLine>>;
  want: string[];
  colorLevel?: number;
  timestamps?: boolean;
  reserve?: string[];
}
const rows: Row[] = [
  { name: 'app stdout: time, name, |, text', lines: [{}], want: ['12:42:00 web.1 | hello\n'] },
  { name: 'app stderr is marked with !', lines: [{ stream: 'stderr', text: 'oops' }], want: ['12:42:00 web.1 ! oops\n'] },
  { name: 'lifecycle lines are marked with *', lines: [{ source: 'heroku', text: 'State changed from starting to up' }], want: ['12:42:00 web.1 * State changed from starting to up\n'] },
  { name: 'router lines are named router and marked with *', lines: [routerOk], want: ['12:42:00 router * at=info method=GET path="/" status=200\n'] },
  { name: "dyno's own lines are named dyno", lines: [stop], want: ['12:42:00 dyno * Stopping all processes with SIGTERM\n'] },
  { name: 'timestamps: false drops the time', timestamps: false, lines: [{}, { stream: 'stderr', text: 'e' }], want: ['web.1 | hello\n', 'web.1 ! e\n'] },
  { name: 'the time is the line\'s own, to the second, never rounded up', lines: [{ ts: T + 59_999.9 }], want: ['12:42:59 web.1 | hello\n'] },
  { name: 'the time is fixed-width 24 h (nf prints 9:05:03 AM)', lines: [{ ts: Date.UTC(2012, 7, 11, 9, 5, 3) }, { ts: Date.UTC(2012, 7, 11, 21, 0, 0) }], want: ['09:05:03 web.1 | hello\n', '21:00:00 web.1 | hello\n'] },
  { name: 'out-of-order times each show their own second', lines: [{ ts: T + 1000 }, { ts: T }, { ts: T + 1000 }], want: ['12:42:01 web.1 | hello\n', '12:42:00 web.1 | hello\n', '12:42:01 web.1 | hello\n'] },
  { name: 'padding grows with the longest name seen so far', lines: [{ text: 'a' }, { dyno: 'worker.1', text: 'b' }, { text: 'c' }, stop], want: ['12:42:00 web.1 | a\n', '12:42:00 worker.1 | b\n', '12:42:00 web.1    | c\n', '12:42:00 dyno     * Stopping all processes with SIGTERM\n'] },
  { name: 'padding never shrinks', lines: [{ dyno: 'worker.10' }, { dyno: 'web.1' }], want: ['12:42:00 worker.10 | hello\n', '12:42:00 web.1     | hello\n'] },
  { name: 'reserveName pre-pads for a known formation', reserve: ['web.1', 'clock.1', 'worker.1'], lines: [{}, { stream: 'stderr' }], want: ['12:42:00 web.1    | hello\n', '12:42:00 web.1    ! hello\n'] },
  { name: 'a shorter reserved name changes nothing', reserve: ['w.1'], lines: [{}], want: ['12:42:00 web.1 | hello\n'] },
  { name: 'text is printed as is (blank, ANSI, UTF-8)', lines: [{ text: '' }, { text: '\x1b[32mok\x1b[0m été' }], want: ['12:42:00 web.1 | \n', '12:42:00 web.1 | \x1b[32mok\x1b[0m été\n'] },
  { name: 'level 0 router errors stay plain', lines: [routerErr], want: ['12:42:00 router * at=error code=H12 desc="Request timeout" status=503\n'] },
  // colour
  { name: 'colour: the name and | in the type colour, text plain', colorLevel: 1, lines: [{}], want: [`12:42:00 ${cyan('web.1 |')} hello\n`] },
  { name: 'colour: all instances of a type share its colour', colorLevel: 1, lines: [{ dyno: 'web.2' }, { dyno: 'web.10' }], want: [`12:42:00 ${cyan('web.2 |')} hello\n`, `12:42:00 ${cyan('web.10 |')} hello\n`] },
  { name: 'colour: types are coloured in Procfile order, not arrival order', colorLevel: 1, lines: [{ dyno: 'worker.1' }, { dyno: 'clock.1' }], want: [`12:42:00 ${yellow('worker.1 |')} hello\n`, `12:42:00 ${green('clock.1  |')} hello\n`] },
  { name: 'colour: the stderr marker is red', colorLevel: 1, lines: [{ stream: 'stderr', text: 'oops' }], want: [`12:42:00 ${cyan('web.1')} ${red('!')} oops\n`] },
  { name: 'colour: lifecycle lines use the type colour and *', colorLevel: 1, lines: [{ source: 'heroku', text: 'Process exited with status 1' }], want: [`12:42:00 ${cyan('web.1 *')} Process exited with status 1\n`] },
  { name: 'colour: router and dyno names are bold bright white', colorLevel: 1, lines: [routerOk, stop], want: [`12:42:00 ${sys('router *')} at=info method=GET path="/" status=200\n`, `12:42:00 ${sys('dyno   *')} Stopping all processes with SIGTERM\n`] },
  { name: 'colour: router errors (at=error, 5xx) are red', colorLevel: 1, lines: [routerErr, { ...routerOk, text: 'at=info status=502' }], want: [`12:42:00 ${sys('router *')} ${red('at=error code=H12 desc="Request timeout" status=503')}\n`, `12:42:00 ${sys('router *')} ${red('at=info status=502')}\n`] },
  { name: 'colour: an app line that mentions status=500 stays plain', colorLevel: 1, lines: [{ text: 'status=500' }], want: [`12:42:00 ${cyan('web.1 |')} status=500\n`] },
  { name: 'colour: a type missing from the Procfile gets the next colour', colorLevel: 1, lines: [{ dyno: 'run.1' }], want: [`12:42:00 \x1b[35mrun.1 |\x1b[39m hello\n`] },
];

for (const row of rows) {
  test(`pretty format: ${row.name}`, () => {
    const f = new PrettyFormatter({ colorLevel: row.colorLevel ?? 0, timestamps: row.timestamps ?? true, types: ['web', 'worker', 'clock'] });
    for (const name of row.reserve ?? []) f.reserveName(name);
    assert.deepEqual(row.lines.map((l) => f.format(line(l))), row.want);
  });
}

test('pretty format: level 0 output has no ANSI at all', () => {
  const f = new PrettyFormatter({ colorLevel: 0, timestamps: true, types: ['web'] });
  const all = [{}, { stream: 'stderr' as const }, routerErr, stop].map((l) => f.format(line(l))).join('');
  assert.ok(!all.includes('\x1b'), JSON.stringify(all));
});

test('pretty format: the time follows TZ (local time, not UTC)', () => {
  const saved = process.env.TZ;
  process.env.TZ = 'Asia/Kolkata';
  try {
    const f = new PrettyFormatter({ colorLevel: 0, timestamps: true, types: ['web'] });
    assert.equal(f.format(line({})), '18:12:00 web.1 | hello\n');
  } finally {
    process.env.TZ = saved;
  }
});
