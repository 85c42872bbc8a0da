import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLine } from '../../../src/core/types.js';
import { createHerokuFormat, createJsonFormat, createTimestampFormat } from '../../../src/logs/format-line.js';
import { stripAnsi } from '../../../src/logs/strip-ansi.js';

const T = Date.UTC(2012, 7, 11, 12, 42, 0);
const line = (o: Partial<LogLine>): LogLine => ({ ts: T, source: 'app', dyno: 'web.1', stream: 'stdout', text: 'hello', ...o });

const timestampRows: Array<{ name: string; ts: number; want: string }> = [
  { name: 'a whole second has six zero digits', ts: T, want: '2012-08-11T12:42:00.000000+00:00' },
  { name: 'milliseconds become microseconds', ts: T + 123, want: '2012-08-11T12:42:00.123000+00:00' },
  { name: 'fractional milliseconds keep microseconds', ts: T + 123.456, want: '2012-08-11T12:42:00.123456+00:00' },
  { name: 'float noise does not lose a microsecond', ts: T + 0.001, want: '2012-08-11T12:42:00.000001+00:00' },
  { name: '999999 µs does not round into the next second wrongly', ts: T + 999.999, want: '2012-08-11T12:42:00.999999+00:00' },
  { name: 'rounding up to a whole second carries into the seconds', ts: T + 999.9996, want: '2012-08-11T12:42:01.000000+00:00' },
];
for (const row of timestampRows) {
  test(`timestamp: ${row.name}`, () => assert.equal(createTimestampFormat()(row.ts), row.want));
}

const herokuRows: Array<{ name: string; line: LogLine; want: string }> = [
  { name: 'app stdout is app[web.1]', line: line({ text: 'listening on 5006', ts: T + 848.866 }), want: '2012-08-11T12:42:00.848866+00:00 app[web.1]: listening on 5006' },
  { name: 'app stderr is app[web.1] too (Logplex merges streams)', line: line({ stream: 'stderr', text: 'oops' }), want: '2012-08-11T12:42:00.000000+00:00 app[web.1]: oops' },
  { name: 'lifecycle lines are heroku[web.1]', line: line({ source: 'heroku', text: 'State changed from starting to up' }), want: '2012-08-11T12:42:00.000000+00:00 heroku[web.1]: State changed from starting to up' },
  { name: 'router lines are heroku[router]', line: line({ source: 'heroku', dyno: 'router', text: 'at=info method=GET path="/" status=200' }), want: '2012-08-11T12:42:00.000000+00:00 heroku[router]: at=info method=GET path="/" status=200' },
  { name: "dyno's own lines are dyno[manager]", line: line({ source: 'dyno', dyno: '', text: 'Stopping all processes with SIGTERM' }), want: '2012-08-11T12:42:00.000000+00:00 dyno[manager]: Stopping all processes with SIGTERM' },
  { name: "dyno's own line about one dyno names it", line: line({ source: 'dyno', dyno: 'web.1', text: 'Restarting (changed: app.js)' }), want: '2012-08-11T12:42:00.000000+00:00 dyno[web.1]: Restarting (changed: app.js)' },
  { name: 'text is kept byte for byte (ANSI, tabs, UTF-8)', line: line({ text: '\x1b[32mok\x1b[0m\tété 😀' }), want: '2012-08-11T12:42:00.000000+00:00 app[web.1]: \x1b[32mok\x1b[0m\tété 😀' },
  { name: 'a blank line keeps its header', line: line({ text: '' }), want: '2012-08-11T12:42:00.000000+00:00 app[web.1]: ' },
];
for (const row of herokuRows) {
  test(`heroku format: ${row.name}`, () => assert.equal(createHerokuFormat()(row.line), row.want + '\n'));
}

test('heroku format: the cached second changes with the line, not the first call', () => {
  const format = createHerokuFormat();
  assert.equal(format(line({ ts: T + 999 })), '2012-08-11T12:42:00.999000+00:00 app[web.1]: hello\n');
  assert.equal(format(line({ ts: T + 1000 })), '2012-08-11T12:42:01.000000+00:00 app[web.1]: hello\n');
  assert.equal(format(line({ ts: T - 1 })), '2012-08-11T12:41:59.999000+00:00 app[web.1]: hello\n');
});

const jsonRows: Array<{ name: string; line: LogLine; want: string }> = [
  { name: 'app line has ts, source, dyno, stream, text in that order', line: line({ ts: T + 123.456 }), want: '{"ts":"2012-08-11T12:42:00.123456+00:00","source":"app","dyno":"web.1","stream":"stdout","text":"hello"}' },
  { name: 'stderr is kept', line: line({ stream: 'stderr', text: 'oops' }), want: '{"ts":"2012-08-11T12:42:00.000000+00:00","source":"app","dyno":"web.1","stream":"stderr","text":"oops"}' },
  { name: "dyno's own lines have an empty dyno", line: line({ source: 'dyno', dyno: '', text: 'hi' }), want: '{"ts":"2012-08-11T12:42:00.000000+00:00","source":"dyno","dyno":"","stream":"stdout","text":"hi"}' },
  { name: 'quotes, backslashes and control characters are escaped', line: line({ text: 'a "q" \\ \x07\t' }), want: '{"ts":"2012-08-11T12:42:00.000000+00:00","source":"app","dyno":"web.1","stream":"stdout","text":"a \\"q\\" \\\\ \\u0007\\t"}' },
  { name: 'ANSI colour codes are stripped (Rails colours its logs)', line: line({ text: '\x1b[1m\x1b[36mGET\x1b[0m / \x1b]8;;http://x\x07link\x1b]8;;\x07' }), want: '{"ts":"2012-08-11T12:42:00.000000+00:00","source":"app","dyno":"web.1","stream":"stdout","text":"GET / link"}' },
  { name: 'UTF-8 and emoji stay unescaped', line: line({ text: 'été 😀' }), want: '{"ts":"2012-08-11T12:42:00.000000+00:00","source":"app","dyno":"web.1","stream":"stdout","text":"été 😀"}' },
  { name: 'a lone surrogate is escaped (well-formed JSON)', line: line({ text: 'a\ud800b' }), want: '{"ts":"2012-08-11T12:42:00.000000+00:00","source":"app","dyno":"web.1","stream":"stdout","text":"a\\ud800b"}' },
  { name: 'DEL and a blank text pass through', line: line({ text: '\x7f', dyno: 'run.1' }), want: '{"ts":"2012-08-11T12:42:00.000000+00:00","source":"app","dyno":"run.1","stream":"stdout","text":"\x7f"}' },
];
for (const row of jsonRows) {
  test(`json format: ${row.name}`, () => {
    const out = createJsonFormat()(row.line);
    assert.equal(out, row.want + '\n');
    assert.equal(JSON.parse(out).text, stripAnsi(row.line.text));
  });
}
