import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectTerminal } from '../../../src/cli/connect-terminal.js';

const make = () => {
  const out: string[] = [];
  return { term: new ConnectTerminal((s) => out.push(s)), out };
};

test('Enter sends the typed line; backspace edits it (by character, UTF-8 included)', () => {
  const { term } = make();
  assert.deepEqual(term.feed('héllo\u007f\u007fp\r'), [{ type: 'send', line: 'hélp' }]);
  assert.deepEqual(term.feed('a\rb\n'), [{ type: 'send', line: 'a' }, { type: 'send', line: 'b' }]);
});

test('Ctrl-] and Ctrl-C detach at once; Ctrl-D detaches only on an empty line; escape sequences are ignored', () => {
  assert.deepEqual(make().term.feed('ab\u001dcd'), [{ type: 'detach', key: 'Ctrl-]' }]);
  assert.deepEqual(make().term.feed('\u0003'), [{ type: 'detach', key: 'Ctrl-C' }]);
  const { term } = make();
  assert.deepEqual(term.feed('x\u0004'), []);
  assert.deepEqual(term.feed('\u0015\u0004'), [{ type: 'detach', key: 'Ctrl-D' }]);
  assert.deepEqual(make().term.feed('\u001b[A'), []);
});

test('output keeps the last line open (a prompt) and redraws what is being typed after new output', () => {
  const { term, out } = make();
  term.print('(Pdb) ');
  term.feed('p x');
  term.print('a log line');
  assert.equal(out.join(''), '\r\u001b[K(Pdb) p x\r\u001b[K(Pdb) \r\na log linep x');
});
