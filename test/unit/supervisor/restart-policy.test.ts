import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextCrashCount, nextRestartDelay, defaultBackoff, type Backoff } from '../../../src/supervisor/restart-policy.js';

const small: Backoff = { initialMs: 100, maxMs: 1000, resetAfterMs: 500 };

const delays: Array<[string, number, Backoff, number]> = [
  ['the first crash restarts at once (Heroku)', 1, defaultBackoff, 0],
  ['the second crash waits initialMs', 2, defaultBackoff, 1000],
  ['the third crash waits twice as long', 3, defaultBackoff, 2000],
  ['the fourth crash doubles again', 4, defaultBackoff, 4000],
  ['delays are capped at maxMs (5 min)', 20, defaultBackoff, 300_000],
  ['a huge crash count does not overflow past the cap', 5000, defaultBackoff, 300_000],
  ['a zero crash count is treated as a first crash', 0, defaultBackoff, 0],
  ['custom backoff: second crash', 2, small, 100],
  ['custom backoff: cap reached at the sixth crash', 6, small, 1000],
  ['custom backoff: fifth crash just under the cap', 5, small, 800],
];
for (const [name, crashes, backoff, expected] of delays) {
  test(`nextRestartDelay: ${name}`, () => assert.equal(nextRestartDelay(crashes, backoff), expected));
}

const counts: Array<[string, number, number, number]> = [
  ['a crash during boot adds to the count', 0, 0, 1],
  ['quick crashes keep counting', 3, 10, 4],
  ['up just under resetAfterMs still counts', 3, 59_999, 4],
  ['up for resetAfterMs resets to a first crash', 7, 60_000, 1],
  ['up for an hour resets', 7, 3_600_000, 1],
];
for (const [name, previous, upForMs, expected] of counts) {
  test(`nextCrashCount: ${name}`, () => assert.equal(nextCrashCount(previous, upForMs, defaultBackoff), expected));
}
