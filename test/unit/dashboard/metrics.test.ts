// Router metrics on a fixed clock (2012-08-11T12:42:00Z): lines in, per-second series and window totals out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogLine } from '../../../src/core/types.js';
import { binOf, binValue, Metrics, parseRouterLine, type MetricsSnapshot } from '../../../src/dashboard/metrics.js';
import { formatRouterLine, type RouterLineFields } from '../../../src/router/router-line.js';
import type { RouterCode } from '../../../src/router/router-errors.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const T0 = Date.parse('2012-08-11T12:42:00Z');

// A FakeClock (at T0) moved on by `offsetMs`.
function clockAt(offsetMs: number): FakeClock {
  const clock = new FakeClock();
  clock.advance(offsetMs);
  return clock;
}

// A real router line at T0 + atMs (as the router publishes it).
function routerLine(atMs: number, f: Partial<RouterLineFields> = {}): LogLine {
  const fields: RouterLineFields = { method: 'GET', path: '/', host: 'localhost', requestId: 'r', fwd: '127.0.0.1', dyno: 'web.1', connectMs: 0, serviceMs: 10, status: 200, bytes: 5, ...f };
  return { ts: T0 + atMs, source: 'heroku', dyno: 'router', stream: 'stdout', text: formatRouterLine(fields) };
}

function snapshotOf(lines: LogLine[], nowMs: number, windowSec = 60): MetricsSnapshot {
  const metrics = new Metrics({ windowSec, clock: clockAt(nowMs) });
  for (const line of lines) metrics.record(line);
  return metrics.snapshot();
}

const times = (ms: number[], atMs = 0): LogLine[] => ms.map((serviceMs) => routerLine(atMs, { serviceMs }));
const h = (code: RouterCode, status: number, atMs = 0): LogLine => routerLine(atMs, { code, status, serviceMs: undefined, dyno: '' });

interface Row {
  name: string;
  lines: LogLine[];
  nowMs: number;
  expect: (s: MetricsSnapshot) => void;
}

const rows: Row[] = [
  { name: 'no router line: zero requests, no percentiles', lines: [], nowMs: 0, expect: (s) => assert.deepEqual([s.totals.requests, s.totals.p50, s.totals.p99], [0, null, null]) },
  {
    name: 'ignores app lines that look like router lines',
    lines: [{ ts: T0, source: 'app', dyno: 'web.1', stream: 'stdout', text: 'at=info status=200 service=5ms' }],
    nowMs: 0,
    expect: (s) => assert.equal(s.totals.requests, 0),
  },
  {
    name: 'nearest-rank percentiles over 1..100 ms are 50, 95 and 99 (within a bin)',
    lines: times(Array.from({ length: 100 }, (_, i) => i + 1)),
    nowMs: 500,
    expect: (s) => {
      assert.equal(s.totals.p50, 50);
      assert.ok(Math.abs(s.totals.p95! - 95) / 95 < 0.05, String(s.totals.p95));
      assert.ok(Math.abs(s.totals.p99! - 99) / 99 < 0.05, String(s.totals.p99));
    },
  },
  { name: 'percentiles of small exact values are exact', lines: times([3, 1, 2, 9]), nowMs: 0, expect: (s) => assert.deepEqual([s.totals.p50, s.totals.p95, s.totals.p99], [2, 9, 9]) },
  {
    name: 'status classes 2xx/3xx/4xx/5xx',
    lines: [200, 201, 302, 404, 503, 503].map((status) => routerLine(0, { status })),
    nowMs: 0,
    expect: (s) => assert.deepEqual(s.totals.status, { '2xx': 2, '3xx': 1, '4xx': 1, '5xx': 2 }),
  },
  {
    name: 'H codes are counted and sorted; a line without service= has no service time',
    lines: [h('H12', 503), h('H10', 503), h('H12', 503), ...times([7])],
    nowMs: 0,
    expect: (s) => {
      assert.deepEqual(s.totals.codes, { H10: 1, H12: 2 });
      assert.deepEqual(Object.keys(s.totals.codes), ['H10', 'H12']);
      assert.equal(s.totals.requests, 4);
      assert.equal(s.totals.p99, 7);
    },
  },
  {
    name: 'one column per second of the window, oldest first, zeros where idle',
    lines: [...times([5, 5], 0), ...times([8], 2000)],
    nowMs: 2500,
    expect: (s) => {
      assert.equal(s.series.requests.length, 60);
      assert.equal(s.series.startMs, T0 + 3000 - 60_000);
      assert.deepEqual(s.series.requests.slice(-3), [2, 0, 1]);
      assert.deepEqual(s.series.p50.slice(-3), [5, null, 8]);
    },
  },
  {
    name: 'lines older than the window are dropped (sliding window)',
    lines: [...times([5], 0), ...times([6], 61_000)],
    nowMs: 61_000,
    expect: (s) => assert.deepEqual([s.totals.requests, s.totals.p50], [1, 6]),
  },
  {
    name: 'recent req/s is the mean over the last 10 seconds',
    lines: [...times([1, 1, 1, 1, 1], 5000), ...times([1, 1, 1, 1, 1], 9000), ...times([1], 0)],
    nowMs: 10_500,
    expect: (s) => assert.equal(s.totals.recentRps, 1),
  },
];

for (const row of rows) test(row.name, () => row.expect(snapshotOf(row.lines, row.nowMs)));

test('a second that leaves the window is forgotten by the same Metrics instance', () => {
  const clock = new FakeClock();
  const metrics = new Metrics({ windowSec: 5, clock });
  metrics.record(routerLine(0, { serviceMs: 40 }));
  assert.equal(metrics.snapshot().totals.requests, 1);
  clock.advance(5000);
  assert.equal(metrics.snapshot().totals.requests, 0);
  assert.deepEqual(metrics.snapshot().series.requests, [0, 0, 0, 0, 0]);
});

const parseRows: Array<[string, string, ReturnType<typeof parseRouterLine>]> = [
  ['info line', 'at=info method=GET path="/" host=h request_id=r fwd="1" dyno=web.1 connect=0ms service=18ms status=200 bytes=13 protocol=http', { ts: T0, status: 200, serviceMs: 18 }],
  ['H12 line', 'at=error code=H12 desc="Request timeout" method=GET path="/slow" host=h request_id=r fwd="1" dyno=web.1 connect=0ms service=30000ms status=503 bytes=0 protocol=http', { ts: T0, status: 503, serviceMs: 30000, code: 'H12' }],
  ['a path containing status=404 does not fool it', 'at=info method=GET path="/x?status=404" host=h request_id=r fwd="1" dyno= connect= service= status=200 bytes= protocol=http', { ts: T0, status: 200 }],
  ['a forged Host header does not fool it', 'at=error code=H14 desc="No web processes running" method=GET path="/" host=x status=200 service=5ms y request_id=r fwd="1" dyno= connect= service= status=503 bytes= protocol=http', { ts: T0, status: 503, code: 'H14' }],
  ['not a request line', 'late answer: something', null],
];
for (const [name, text, expected] of parseRows) {
  test(`parseRouterLine: ${name}`, () => assert.deepEqual(parseRouterLine({ ts: T0, source: 'heroku', dyno: 'router', stream: 'stdout', text }), expected));
}

test('every histogram bin reports a value within 4.5 % of what it holds', () => {
  for (const ms of [0, 1, 63, 64, 65, 100, 999, 30_000, 123_456]) {
    const reported = binValue(binOf(ms));
    assert.ok(reported <= ms && (ms - reported) / Math.max(1, ms) < 0.045, `${ms} → ${reported}`);
  }
});
