import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMemoryLine, formatMemoryLines, nextMemoryVerdict, type MemorySample } from '../../../src/supervisor/memory-verdict.js';

const limits = { size: 'standard-1x', quotaMb: 512, r15Mb: 1024 };
const at = 1_000_000;

const verdicts: Array<[string, Partial<MemorySample>, string]> = [
  ['well under the quota: nothing', { rssMb: 100 }, 'ok'],
  ['exactly at the quota is not above it', { rssMb: 512 }, 'ok'],
  ['just above the quota: R14', { rssMb: 512.5 }, 'r14'],
  ['above the quota again within 20 s of the last R14: quiet (no R14 flood every sample)', { rssMb: 600, lastR14At: at - 2000 }, 'ok'],
  ['above the quota 20 s after the last R14: R14 again', { rssMb: 600, lastR14At: at - 20_000 }, 'r14'],
  ['a custom repeat period is honoured', { rssMb: 600, lastR14At: at - 5000, repeatMs: 5000 }, 'r14'],
  ['at the R15 limit (2× quota): R15', { rssMb: 1024 }, 'r15'],
  ['far above the R15 limit: R15, even right after an R14', { rssMb: 5000, lastR14At: at - 1 }, 'r15'],
  ['back under the quota after an R14: nothing', { rssMb: 400, lastR14At: at - 1 }, 'ok'],
];
for (const [name, sample, expected] of verdicts) {
  test(`memory: ${name}`, () => {
    assert.equal(nextMemoryVerdict({ rssMb: 0, limits, now: at, lastR14At: null, ...sample }), expected);
  });
}

const lines: Array<[string, string, number, string[]]> = [
  ['ok logs nothing', 'ok', 100, []],
  ['R14 logs the usage, then the error (HEROKU.md §2.3)', 'r14', 528.9, ['Process running mem=529MB(103.3%)', 'Error R14 (Memory quota exceeded)']],
  [
    'R15 logs the usage, the error and the SIGKILL',
    'r15',
    1028,
    ['Process running mem=1028MB(200.8%)', 'Error R15 (Memory quota vastly exceeded)', 'Stopping process with SIGKILL'],
  ],
];
for (const [name, verdict, rss, expected] of lines) {
  test(`memory lines: ${name}`, () => assert.deepEqual(formatMemoryLines(verdict as 'ok' | 'r14' | 'r15', rss, limits), expected));
}

test('memory line: whole MB and one decimal of percent of the quota', () => {
  assert.equal(formatMemoryLine(99.6, 40), 'Process running mem=100MB(249.0%)');
});
