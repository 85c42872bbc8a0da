import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PALETTE, pickAnsi256, pickColour, pickErrorColour, pickSystemColour } from '../../../src/logs/colours.js';

const SGR = /^\x1b\[([\d;]+)m/;
const codeOf = (s: string): string => SGR.exec(s)?.[1] ?? '';

const rows: Array<{ name: string; got: () => string; want: string }> = [
  { name: 'the first type is cyan', got: () => pickColour(0, 1)('web'), want: '\x1b[36mweb\x1b[39m' },
  { name: 'the second type is yellow', got: () => pickColour(1, 1)('worker'), want: '\x1b[33mworker\x1b[39m' },
  { name: 'level 0 adds no ANSI', got: () => pickColour(0, 0)('web'), want: 'web' },
  { name: 'system colour is bold bright white', got: () => pickSystemColour(1)('dyno'), want: '\x1b[1m\x1b[97mdyno\x1b[39m\x1b[22m' },
  { name: 'system colour at level 0 adds no ANSI', got: () => pickSystemColour(0)('dyno'), want: 'dyno' },
  { name: 'error colour is red', got: () => pickErrorColour(1)('!'), want: '\x1b[31m!\x1b[39m' },
  { name: 'the 13th type at level 1 cycles back to cyan', got: () => pickColour(12, 1)('x'), want: '\x1b[36mx\x1b[39m' },
  { name: 'the 13th type at level 2 gets an ansi256 hue', got: () => pickColour(12, 2)('x'), want: `\x1b[38;5;${pickAnsi256(0)}mx\x1b[39m` },
];
for (const row of rows) {
  test(`colours: ${row.name}`, () => assert.equal(row.got(), row.want));
}

test('colours: the 12 palette colours are distinct at level 1', () => {
  const codes = PALETTE.map((_, i) => codeOf(pickColour(i, 1)('x')));
  assert.equal(PALETTE.length, 12);
  assert.equal(new Set(codes).size, 12);
});

test('colours: red is reserved (no type gets 31 or 91)', () => {
  for (let i = 0; i < 12; i++) assert.ok(!['31', '91'].includes(codeOf(pickColour(i, 1)('x'))), `type ${i}`);
});

test('colours: the same type index always gets the same colour', () => {
  assert.equal(pickColour(3, 1)('a'), pickColour(3, 1)('a'));
  assert.equal(pickColour(20, 2)('a'), pickColour(20, 2)('a'));
});

test('colours: 40 extra types get distinct, non-grey, non-red ansi256 colours', () => {
  const codes = Array.from({ length: 40 }, (_, k) => pickAnsi256(k));
  assert.equal(new Set(codes).size, 40);
  for (const code of codes) {
    assert.ok(code >= 16 && code <= 231, `${code} is in the colour cube`);
    const n = code - 16;
    const [r, g, b] = [Math.floor(n / 36), Math.floor(n / 6) % 6, n % 6];
    assert.ok(!(r === g && g === b), `${code} is grey`);
    assert.ok(!(r === 5 && g <= 2 && b <= 2), `${code} is red`);
  }
});
