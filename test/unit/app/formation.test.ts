import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynoError, type ErrorCode } from '../../../src/core/errors.js';
import type { ProcessType } from '../../../src/core/types.js';
import { formatFormation, parseFormation, resolveFormation, resolveSizes } from '../../../src/app/formation.js';

const types = (...names: string[]): ProcessType[] => names.map((name, index) => ({ name, command: `run-${name}`, index, line: index + 1 }));
const APP = types('web', 'worker', 'clock', 'release');

// Tokens → resolved formation (or the DynoError code and the token its message must name).
const rows: Array<{ name: string; tokens: string[]; formation?: Record<string, number>; error?: [ErrorCode, string] }> = [
  { name: 'no tokens: every type once, except release', tokens: [], formation: { web: 1, worker: 1, clock: 1 } },
  { name: 'web=2,worker=1: types not named get 0', tokens: ['web=2,worker=1'], formation: { web: 2, worker: 1, clock: 0 } },
  { name: 'a bare type name means 1', tokens: ['web'], formation: { web: 1, worker: 0, clock: 0 } },
  { name: 'all=3 sets every type but release', tokens: ['all=3'], formation: { web: 3, worker: 3, clock: 3 } },
  { name: '"web=2 worker" in one token (space separated)', tokens: ['web=2 worker'], formation: { web: 2, worker: 1, clock: 0 } },
  { name: 'positional and -m tokens combine', tokens: ['web=2', 'worker'], formation: { web: 2, worker: 1, clock: 0 } },
  { name: 'later entries win: all=2 then web=0', tokens: ['all=2,web=0'], formation: { web: 0, worker: 2, clock: 2 } },
  { name: 'a size suffix from `heroku ps` is accepted (the counts stand)', tokens: ['web=1:Standard-1X worker=2:Standard-1X'], formation: { web: 1, worker: 2, clock: 0 } },
  { name: 'issue 15: `web:2` (foreman-ish) is not silently web=1 → BAD_FORMATION naming it', tokens: ['web:2'], error: ['BAD_FORMATION', 'did you mean web=2?'] },
  { name: 'a size without a count → BAD_FORMATION', tokens: ['web:standard-2x'], error: ['BAD_FORMATION', 'web:standard-2x'] },
  { name: 'an unknown size → BAD_FORMATION naming it', tokens: ['web=2:huge'], error: ['BAD_FORMATION', '"huge"'] },
  { name: 'stray commas are ignored', tokens: [',web=1,,'], formation: { web: 1, worker: 0, clock: 0 } },
  { name: 'web=0 is allowed', tokens: ['web=0'], formation: { web: 0, worker: 0, clock: 0 } },
  { name: '§7 foreman `start nosuch` hangs → error UNKNOWN_TYPE', tokens: ['nosuch'], error: ['UNKNOWN_TYPE', 'nosuch'] },
  { name: '§7 heroku local warns `Required Key Does Not Exist` → error UNKNOWN_TYPE', tokens: ['web=1,nosuch=2'], error: ['UNKNOWN_TYPE', 'nosuch=2'] },
  { name: '§7 foreman -m web=abc hangs, nf gives NaN → error BAD_FORMATION', tokens: ['web=abc'], error: ['BAD_FORMATION', 'web=abc'] },
  { name: 'a fraction is not a count → BAD_FORMATION', tokens: ['web=1.5'], error: ['BAD_FORMATION', 'web=1.5'] },
  { name: 'a negative count → BAD_FORMATION', tokens: ['web=-1'], error: ['BAD_FORMATION', 'web=-1'] },
  { name: 'a relative count (ps:scale syntax) → BAD_FORMATION', tokens: ['web+1'], error: ['BAD_FORMATION', 'web+1'] },
  { name: 'an empty count → BAD_FORMATION', tokens: ['web='], error: ['BAD_FORMATION', 'web='] },
  { name: 'no name → BAD_FORMATION', tokens: ['=2'], error: ['BAD_FORMATION', '=2'] },
  { name: 'more than 100 of one type → BAD_FORMATION', tokens: ['web=101'], error: ['BAD_FORMATION', 'web=101'] },
  { name: 'a huge number → BAD_FORMATION', tokens: ['web=99999999999999999999999'], error: ['BAD_FORMATION', 'web=99999999999999999999999'] },
  { name: 'more than 100 dynos in all → BAD_FORMATION', tokens: ['all=40'], error: ['BAD_FORMATION', '120 dynos'] },
  { name: 'exactly 100 dynos in all is allowed', tokens: ['web=50,worker=50'], formation: { web: 50, worker: 50, clock: 0 } },
  { name: 'release is never a formation dyno → BAD_FORMATION', tokens: ['release=1'], error: ['BAD_FORMATION', 'release=1'] },
];

for (const row of rows) {
  test(row.name, () => {
    const run = () => resolveFormation(parseFormation(row.tokens), APP);
    if (row.formation) {
      assert.deepEqual(run(), row.formation);
      return;
    }
    const [code, token] = row.error!;
    assert.throws(run, (err: unknown) => err instanceof DynoError && err.code === code && err.exitCode === 2 && err.message.includes(token));
  });
}

test('parseFormation returns undefined when there are no tokens', () => {
  assert.equal(parseFormation([]), undefined);
  assert.equal(parseFormation(['', ' , ']), undefined);
});

test('the formation keeps Procfile order', () => {
  assert.deepEqual(Object.keys(resolveFormation(parseFormation(['clock,web']), APP)), ['web', 'worker', 'clock']);
});

test('an unknown type error lists the types the Procfile defines', () => {
  assert.throws(() => resolveFormation(parseFormation(['nosuch']), APP), (err: DynoError) => err.hint === 'the Procfile defines: web, worker, clock');
});

test('a Procfile with only release has an empty formation', () => {
  assert.deepEqual(resolveFormation(undefined, types('release')), {});
});

test('formatFormation lists running types', () => {
  assert.equal(formatFormation({ web: 2, worker: 0, clock: 1 }), 'web=2 clock=1');
  assert.equal(formatFormation({ web: 0 }), '(none)');
});

test('sizes in the formation are kept per type, lower case; all=N:size names every type; later wins', () => {
  assert.deepEqual(resolveSizes(parseFormation(['web=2:Standard-2X', 'worker=1']), APP), { web: 'standard-2x' });
  assert.deepEqual(resolveSizes(parseFormation(['all=1:eco,web=1:performance-m']), APP), { web: 'performance-m', worker: 'eco', clock: 'eco' });
  assert.deepEqual(resolveSizes(undefined, APP), {});
});
