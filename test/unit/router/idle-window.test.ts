import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdleWindow } from '../../../src/router/idle-window.js';
import { FakeClock } from './router-harness.js';

// Each row: touches at these offsets (ms after start), then the time the window fires (or undefined).
const rows: Array<[string, number[], number, number | undefined]> = [
  ['fires after the window with no activity', [], 55_000, 55_000],
  ['activity restarts the window', [40_000], 100_000, 95_000],
  ['steady activity keeps it open', [20_000, 40_000, 60_000, 80_000], 100_000, undefined],
  ['a touch one millisecond before expiry buys a whole new window', [54_999], 120_000, 109_999],
];

for (const [name, touches, horizon, firesAt] of rows) {
  test(`idle window: ${name}`, () => {
    const clock = new FakeClock();
    const start = clock.now();
    let fired: number | undefined;
    const w = new IdleWindow({ clock, windowMs: 55_000, onIdle: () => (fired = clock.now() - start) });
    w.start();
    let at = 0;
    for (const t of touches) {
      clock.advance(t - at);
      at = t;
      w.touch();
    }
    clock.advance(horizon - at);
    assert.equal(fired, firesAt);
    w.stop();
    assert.equal(clock.dueIn().length, 0);
  });
}

test('idle window: stop cancels the timer', () => {
  const clock = new FakeClock();
  let fired = false;
  const w = new IdleWindow({ clock, windowMs: 100, onIdle: () => (fired = true) });
  w.start();
  w.stop();
  clock.advance(1000);
  assert.equal(fired, false);
});
