// `--sweep TYPE=FROM..TO` against a running formation: counts, and one clear error per bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynoError } from '../../../src/core/errors.js';
import { parseSweepSpec } from '../../../src/load/sweep-spec.js';

const formation = { web: 1, worker: 2, clock: 0 };

const good: Array<[string, string, { type: string; counts: number[] }]> = [
  ['a web range', 'web=1..4', { type: 'web', counts: [1, 2, 3, 4] }],
  ['one count', 'web=3', { type: 'web', counts: [3] }],
  ['another type, from 0', 'worker=0..2', { type: 'worker', counts: [0, 1, 2] }],
  ['up to the limit with the others counted', 'web=1..98', { type: 'web', counts: Array.from({ length: 98 }, (_, i) => i + 1) }],
];
for (const [name, text, expected] of good) test(`sweep spec: ${name} (${text})`, () => assert.deepEqual(parseSweepSpec(text, formation), expected));

const bad: Array<[string, string, string, RegExp]> = [
  ['an unknown type, in Heroku’s words', 'nosuch=1..2', 'UNKNOWN_TYPE', /^Couldn't find that process type \(nosuch\)\.$/],
  ['a range over the 100-dyno limit', 'web=1..99', 'BAD_FORMATION', /web=99 makes 101 dynos; the limit is 100/],
  ['a range running backwards', 'web=4..2', 'USAGE', /runs backwards/],
  ['web from zero (nothing would take the load)', 'web=0..2', 'USAGE', /at least 1 dyno/],
  ['not a range', 'web:1-4', 'USAGE', /expects TYPE=FROM\.\.TO/],
];
for (const [name, text, code, message] of bad) {
  test(`sweep spec refuses ${name} (${text})`, () => {
    assert.throws(() => parseSweepSpec(text, formation), (err: unknown) => err instanceof DynoError && err.code === code && message.test(err.message));
  });
}
