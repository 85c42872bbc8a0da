// The router's view of a run, from router lines as the router formats them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRouterLine, type RouterLineFields } from '../../../src/router/router-line.js';
import { byDynoName, percentile, routerLineDyno, tallyRouterLines } from '../../../src/load/router-tally.js';

const base: RouterLineFields = { method: 'GET', path: '/', host: '127.0.0.1:5006', requestId: 'dyno-load-0123456789abcdef-run', fwd: '127.0.0.1', status: 200 };
const ok = (dyno: string, serviceMs: number): string => formatRouterLine({ ...base, dyno, connectMs: 0, serviceMs, bytes: 10 });

test('tallies requests, status classes, H codes, the spread over dynos and exact service percentiles', () => {
  const lines = [
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((ms) => ok('web.1', ms)),
    ok('web.2', 9),
    ok('web.10', 100),
    formatRouterLine({ ...base, code: 'H12', status: 503, dyno: 'web.2', connectMs: 0, serviceMs: 30000 }),
    formatRouterLine({ ...base, code: 'H14', status: 503 }),
    formatRouterLine({ ...base, code: 'H27', status: 499, dyno: 'web.1', connectMs: 1, serviceMs: 5 }),
    'not a router line',
  ];
  const t = tallyRouterLines(lines);
  assert.equal(t.requests, 13);
  assert.equal(t.answered, 10);
  assert.deepEqual(t.status, { '2xx': 10, '3xx': 0, '4xx': 1, '5xx': 2 });
  assert.deepEqual(t.codes, { H12: 1, H14: 1, H27: 1 });
  assert.deepEqual(Object.entries(t.dynos), [['web.1', 9], ['web.2', 2], ['web.10', 1]]);
  assert.deepEqual([t.p50, t.p95, t.p99, t.maxMs], [5, 30000, 30000, 30000]);
});

test('a forged X-Forwarded-For or Host cannot name another dyno', () => {
  const forged = formatRouterLine({ ...base, host: 'x dyno=web.9 connect=', fwd: '1.2.3.4" dyno=web.9 connect=0ms service=1ms status=200 bytes=1 protocol=http', dyno: 'web.1', connectMs: 0, serviceMs: 3, bytes: 1 });
  assert.equal(routerLineDyno(forged), 'web.1');
  assert.equal(routerLineDyno(formatRouterLine({ ...base, code: 'H14' })), '');
  assert.equal(routerLineDyno('at=info dyno=web.1'), null);
});

test('nearest-rank percentiles and dyno order', () => {
  assert.equal(percentile([], 50), null);
  assert.deepEqual([percentile([1, 2, 3, 4], 50), percentile([1, 2, 3, 4], 99), percentile([7], 1)], [2, 4, 7]);
  assert.deepEqual(['web.10', 'worker.1', 'web.2'].sort(byDynoName), ['web.2', 'web.10', 'worker.1']);
});
