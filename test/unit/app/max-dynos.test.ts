// Heroku's 100-dyno limit is the default; --max-dynos N lifts it for start, check, export and scale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DYNOS, parseFormation, parseMaxDynos, resolveFormation } from '../../../src/app/formation.js';
import { parseScale } from '../../../src/control/parse-scale.js';
import { DynoError } from '../../../src/core/errors.js';

const types = ['a', 'b', 'c', 'd'].map((name, index) => ({ name, command: 'sleep 1', index, line: index + 1 }));
const bad = (code: string, re: RegExp) => (err: unknown): boolean => err instanceof DynoError && err.code === code && re.test(err.message);

test('without --max-dynos, 101 dynos are refused with a hint naming --max-dynos', () => {
  assert.equal(parseMaxDynos(undefined), MAX_DYNOS);
  assert.throws(() => resolveFormation(parseFormation(['a=75,b=75,c=75,d=75']), types), (err: unknown) => err instanceof DynoError && /Heroku allows at most 100/.test(err.message) && /--max-dynos/.test(err.hint ?? ''));
  assert.throws(() => parseScale(['a=101'], { a: 1, b: 0, c: 0, d: 0 }, types), bad('BAD_FORMATION', /at most 100 dynos/));
});

test('--max-dynos 300 lets 300 dynos through start/check/export and scale, and still refuses 301', () => {
  const max = parseMaxDynos('300');
  assert.deepEqual(resolveFormation(parseFormation(['a=75,b=75,c=75,d=75'], max), types, max), { a: 75, b: 75, c: 75, d: 75 });
  assert.throws(() => resolveFormation(parseFormation(['a=75,b=75,c=75,d=76'], max), types, max), bad('BAD_FORMATION', /asks for 301 dynos; --max-dynos allows at most 300/));
  assert.deepEqual(parseScale(['d+75'], { a: 75, b: 75, c: 75, d: 0 }, types, max), { a: 75, b: 75, c: 75, d: 75 });
  assert.throws(() => parseScale(['d+76'], { a: 75, b: 75, c: 75, d: 0 }, types, max), bad('BAD_FORMATION', /more than 300 dynos/));
});

for (const value of ['', ' ', '0', '-1', 'abc', '1.5', '1e3', '10001', '99999999999999999999']) {
  test(`--max-dynos ${JSON.stringify(value)} is a usage error`, () => assert.throws(() => parseMaxDynos(value), bad('USAGE', /--max-dynos expects a whole number of dynos from 1 to 10000/)));
}
