// Heroku's ps:scale grammar applied to a formation: one row per behaviour, including what is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScale } from '../../../src/control/parse-scale.js';
import { DynoError } from '../../../src/core/errors.js';
import type { Formation, ProcessType } from '../../../src/core/types.js';

const types: ProcessType[] = ['web', 'worker', 'clock', 'urgent-worker', 'release'].map((name, index) => ({ name, command: 'x', index, line: index + 1 }));
const current: Formation = { web: 2, worker: 1, clock: 0, 'urgent-worker': 0 };

const ok: Array<[string, string[], Formation]> = [
  ['sets a count', ['web=3'], { web: 3, worker: 1, clock: 0, 'urgent-worker': 0 }],
  ['adds with +', ['worker+2'], { web: 2, worker: 3, clock: 0, 'urgent-worker': 0 }],
  ['subtracts with -', ['web-1'], { web: 1, worker: 1, clock: 0, 'urgent-worker': 0 }],
  ['allows type=0', ['web=0'], { web: 0, worker: 1, clock: 0, 'urgent-worker': 0 }],
  ['applies several tokens left to right', ['web=3', 'worker+1', 'clock+1', 'web-1'], { web: 2, worker: 2, clock: 1, 'urgent-worker': 0 }],
  ['a hyphenated type followed by -N is a decrement of that type', ['urgent-worker+3', 'urgent-worker-1'], { web: 2, worker: 1, clock: 0, 'urgent-worker': 2 }],
  ['no tokens: the formation unchanged', [], current],
  ['exactly 100 dynos is allowed', ['web=99'], { web: 99, worker: 1, clock: 0, 'urgent-worker': 0 }],
  ['leading zeros are a number', ['web=007'], { web: 7, worker: 1, clock: 0, 'urgent-worker': 0 }],
];
for (const [name, args, expected] of ok) {
  test(`scale: ${name}`, () => assert.deepEqual(parseScale(args, current, types), expected));
}

const bad: Array<[string, string[], string, RegExp]> = [
  ['an unknown type (Heroku\'s message)', ['nosuch=1'], 'UNKNOWN_TYPE', /Couldn't find that process type \(nosuch\)/],
  ['a signed count after = (web=-1 does not match Heroku\'s grammar)', ['web=-1'], 'BAD_FORMATION', /cannot carry a sign/],
  ['web=+2 does not match either', ['web=+2'], 'BAD_FORMATION', /"web=\+2"/],
  ['a bare type (start accepts it; scale does not)', ['web'], 'BAD_FORMATION', /expected TYPE=N/],
  ['a non-number count', ['web=two'], 'BAD_FORMATION', /whole number/],
  ['a fractional count', ['web+1.5'], 'BAD_FORMATION', /whole number/],
  ['a size suffix is refused, not silently ignored', ['web=2:standard-2x'], 'BAD_FORMATION', /sizes/],
  ['release is never scaled', ['release=1'], 'BAD_FORMATION', /release is not scaled/],
  ['going below zero', ['worker-2'], 'BAD_FORMATION', /worker runs 1 dyno$/],
  ['more than 100 dynos of one type', ['web=101'], 'BAD_FORMATION', /at most 100/],
  ['more than 100 dynos in all', ['web=60', 'worker=41'], 'BAD_FORMATION', /more than 100 dynos/],
  ['one bad token among good ones rejects them all', ['web=3', 'worker=x'], 'BAD_FORMATION', /"worker=x"/],
  ['an empty token', [''], 'BAD_FORMATION', /""/],
  ['a comma list (scale takes separate arguments)', ['web=1,worker=2'], 'BAD_FORMATION', /"web=1,worker=2"/],
];
for (const [name, args, code, message] of bad) {
  test(`scale refuses ${name}`, () => {
    const before = structuredClone(current);
    assert.throws(() => parseScale(args, current, types), (err: unknown) => err instanceof DynoError && err.code === code && message.test(err.message));
    assert.deepEqual(current, before, 'the current formation is never changed');
  });
}
