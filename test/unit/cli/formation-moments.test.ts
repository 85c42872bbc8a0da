import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSummaryLine, formatUpLine } from '../../../src/cli/formation-moments.js';

const up: Array<[number, number, string | undefined, string]> = [
  [3, 1234, 'http://127.0.0.1:5006', 'All 3 dynos up in 1.2s: http://127.0.0.1:5006'],
  [1, 80, undefined, 'All 1 dyno up in 0.1s (no router)'],
  [2, 75_000, 'http://127.0.0.1:5006', 'All 2 dynos up in 1m15s: http://127.0.0.1:5006'],
];
for (const [n, ms, url, want] of up) test(`up line: ${want}`, () => assert.equal(formatUpLine(n, ms, url), want));

test('summary line: uptime, restarts, crashes and H-codes in numeric order', () => {
  assert.equal(formatSummaryLine({ uptimeMs: 192_000, restarts: 2, crashes: 1, codes: { H13: 1, H12: 3 } }), 'Stopped after 3m12s: 2 restarts, 1 crash, H-codes H12×3 H13×1');
  assert.equal(formatSummaryLine({ uptimeMs: 4_000, restarts: 1, crashes: 0, codes: {} }), 'Stopped after 4s: 1 restart, 0 crashes, no H-codes');
});
