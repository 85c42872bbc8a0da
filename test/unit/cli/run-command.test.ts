// `dyno run` words → the shell string, as `heroku run` builds it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRunCommand } from '../../../src/cli/run-command.js';
import type { ProcessType } from '../../../src/core/types.js';

const types: ProcessType[] = [{ name: 'worker', command: 'python dowork.py', index: 0, line: 1 }];

const rows: Array<[string, string[], string]> = [
  ['a process type runs its command with the arguments appended (heroku run myworker 42)', ['worker', '42'], 'python dowork.py 42'],
  ['arguments appended to a type are quoted for the shell', ['worker', "it's", 'a b'], `python dowork.py 'it'\\''s' 'a b'`],
  ['one word is a shell string as typed', ['echo $DYNO && true'], 'echo $DYNO && true'],
  ['several words are quoted one by one (nf run node -e breaks)', ['node', '-e', 'console.log(1)'], "node -e 'console.log(1)'"],
  ['an empty word survives as an empty argument', ['printf', '%s|', ''], "printf '%s|' ''"],
];

for (const [name, words, expected] of rows) {
  test(`run command: ${name}`, () => assert.equal(resolveRunCommand(words, types), expected));
}
