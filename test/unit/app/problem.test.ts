import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countProblems, excerpt, formatProblem, type Problem } from '../../../src/app/problem.js';

const base: Problem = { file: 'Procfile', line: 2, col: 4, severity: 'warning', code: 'x', message: 'no colon' };

const rows: Array<{ name: string; problem: Problem; text: string }> = [
  { name: 'file:line:col: severity: message', problem: base, text: 'Procfile:2:4: warning: no colon' },
  { name: 'a hint goes on its own indented line', problem: { ...base, severity: 'error', hint: 'add one' }, text: 'Procfile:2:4: error: no colon\n  hint: add one' },
  { name: 'a whole-file problem has no line or column', problem: { ...base, line: 0, col: 0 }, text: 'Procfile: warning: no colon' },
];

for (const row of rows) test(row.name, () => assert.equal(formatProblem(row.problem), row.text));

const excerptRows: Array<[string, string, string]> = [
  ['short text is quoted as is', 'web', '`web`'],
  ['long text is cut with …', 'x'.repeat(70), `\`${'x'.repeat(60)}…\``],
  ['control characters are shown', 'a\tb\0', '`a\\u{9}b\\u{0}`'],
  ['invisible spaces (NBSP, BOM, zero-width) are shown', '\u00a0\ufeff\u200b', '`\\u{a0}\\u{feff}\\u{200b}`'],
];

for (const [name, input, output] of excerptRows) test(`excerpt: ${name}`, () => assert.equal(excerpt(input), output));

test('countProblems counts errors and warnings', () => {
  assert.deepEqual(countProblems([base, { ...base, severity: 'error' }, base]), { errors: 1, warnings: 2 });
});
