import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStateLine } from '../../../src/supervisor/dyno.js';
import type { DynoState } from '../../../src/core/types.js';

const rows: Array<[string, DynoState, DynoState, string | null]> = [
  ['first start logs no state line (Heroku logs "Starting process")', 'down', 'starting', null],
  ['boot', 'starting', 'up', 'State changed from starting to up'],
  ['crash of a running dyno', 'up', 'crashed', 'State changed from up to crashed'],
  ['R10: crash while starting', 'starting', 'crashed', 'State changed from starting to crashed'],
  ['restart after a crash', 'crashed', 'starting', 'State changed from crashed to starting'],
  ['manual restart', 'up', 'starting', 'State changed from up to starting'],
  ['stop or scale-down says "down" at once, as Heroku does', 'up', 'stopping', 'State changed from up to down'],
  ['stopping a crashed dyno', 'crashed', 'stopping', 'State changed from crashed to down'],
  ['the end of a stop is silent (already said)', 'stopping', 'down', null],
];
for (const [name, from, to, line] of rows) {
  test(`formatStateLine: ${name}`, () => assert.equal(formatStateLine(from, to), line));
}
