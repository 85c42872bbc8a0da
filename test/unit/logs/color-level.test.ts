import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveColorLevel, type ColorFlag } from '../../../src/logs/color-level.js';

type Env = Record<string, string | undefined>;
const xterm: Env = { TERM: 'xterm-256color' };
const rows: Array<{ name: string; flag?: ColorFlag; env: Env; isTTY: boolean; want: number }> = [
  // TTY detection (chalk's supports-color rules)
  { name: 'a pipe gets no colour', env: xterm, isTTY: false, want: 0 },
  { name: 'a pipe gets no colour even under CI=true', env: { ...xterm, CI: 'true' }, isTTY: false, want: 0 },
  { name: 'an xterm-256color TTY gets 256 colours', env: xterm, isTTY: true, want: 2 },
  { name: 'a plain xterm TTY gets 16 colours', env: { TERM: 'xterm' }, isTTY: true, want: 1 },
  { name: 'COLORTERM=truecolor gets truecolor', env: { TERM: 'xterm-256color', COLORTERM: 'truecolor' }, isTTY: true, want: 3 },
  { name: 'TERM=dumb gets no colour', env: { TERM: 'dumb' }, isTTY: true, want: 0 },
  { name: 'an unknown TERM gets no colour', env: { TERM: 'weird' }, isTTY: true, want: 0 },
  { name: 'Apple Terminal gets 256 colours', env: { TERM_PROGRAM: 'Apple_Terminal' }, isTTY: true, want: 2 },
  { name: 'iTerm 3 gets truecolor', env: { TERM_PROGRAM: 'iTerm.app', TERM_PROGRAM_VERSION: '3.4.1' }, isTTY: true, want: 3 },
  // NO_COLOR (chalk ignores it; we honour it)
  { name: 'NO_COLOR=1 turns colour off on a TTY (chalk ignores it)', env: { ...xterm, NO_COLOR: '1' }, isTTY: true, want: 0 },
  { name: 'an empty NO_COLOR is ignored', env: { ...xterm, NO_COLOR: '' }, isTTY: true, want: 2 },
  // FORCE_COLOR beats NO_COLOR and the pipe
  { name: 'FORCE_COLOR=1 colours a pipe', env: { FORCE_COLOR: '1' }, isTTY: false, want: 1 },
  { name: 'FORCE_COLOR=3 colours a pipe in truecolor', env: { FORCE_COLOR: '3' }, isTTY: false, want: 3 },
  { name: 'FORCE_COLOR=1 keeps the terminal\'s higher level', env: { ...xterm, FORCE_COLOR: '1' }, isTTY: true, want: 2 },
  { name: 'empty FORCE_COLOR means 1', env: { FORCE_COLOR: '' }, isTTY: false, want: 1 },
  { name: 'FORCE_COLOR=true means 1', env: { FORCE_COLOR: 'true' }, isTTY: false, want: 1 },
  { name: 'FORCE_COLOR=9 is capped at 3', env: { FORCE_COLOR: '9' }, isTTY: false, want: 3 },
  { name: 'FORCE_COLOR=0 turns colour off on a TTY', env: { ...xterm, FORCE_COLOR: '0' }, isTTY: true, want: 0 },
  { name: 'FORCE_COLOR=false turns colour off on a TTY', env: { ...xterm, FORCE_COLOR: 'false' }, isTTY: true, want: 0 },
  { name: 'FORCE_COLOR beats NO_COLOR', env: { FORCE_COLOR: '1', NO_COLOR: '1' }, isTTY: false, want: 1 },
  { name: 'FORCE_COLOR=0 beats a colour TTY with NO_COLOR unset', env: { ...xterm, FORCE_COLOR: '0' }, isTTY: true, want: 0 },
  // --color flag beats everything
  { name: '--color never beats FORCE_COLOR', flag: 'never', env: { ...xterm, FORCE_COLOR: '3' }, isTTY: true, want: 0 },
  { name: '--color never on a colour TTY', flag: 'never', env: xterm, isTTY: true, want: 0 },
  { name: '--color always colours a pipe', flag: 'always', env: {}, isTTY: false, want: 1 },
  { name: '--color always beats NO_COLOR', flag: 'always', env: { NO_COLOR: '1' }, isTTY: false, want: 1 },
  { name: '--color always beats FORCE_COLOR=0', flag: 'always', env: { FORCE_COLOR: '0' }, isTTY: false, want: 1 },
  { name: '--color always uses the terminal\'s level through a pipe', flag: 'always', env: xterm, isTTY: false, want: 2 },
  { name: '--color always on TERM=dumb still colours', flag: 'always', env: { TERM: 'dumb' }, isTTY: true, want: 1 },
  { name: '--color always keeps a FORCE_COLOR level', flag: 'always', env: { FORCE_COLOR: '3' }, isTTY: false, want: 3 },
  { name: '--color auto is the default detection', flag: 'auto', env: { ...xterm, NO_COLOR: '1' }, isTTY: true, want: 0 },
];

for (const row of rows) {
  test(`color level: ${row.name}`, () => {
    assert.equal(resolveColorLevel({ flag: row.flag, env: row.env, isTTY: row.isTTY }), row.want);
  });
}
