import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CycleScheduler, nextCycleDelay, type CycledDyno } from '../../../src/supervisor/cycle-scheduler.js';
import { FakeClock } from './harness.js';

const HOUR = 3_600_000;
const delays: Array<[string, number, number, number]> = [
  ['no jitter: exactly the period', 1000, 0, 1000],
  ['half jitter: period + 7.5 %', 1000, 0.5, 1075],
  ['Heroku: 24 h plus up to 216 minutes (random at its bound)', 24 * HOUR, 1, 24 * HOUR + 216 * 60_000],
  ['compressed to 30 s: at most 34.5 s', 30_000, 1, 34_500],
];
for (const [name, cycleMs, random, expected] of delays) {
  test(`cycle delay: ${name}`, () => assert.equal(nextCycleDelay(cycleMs, random), expected));
}

// A dyno that records its restarts.
function fakeDyno(state: string): CycledDyno & { state: string; lines: string[] } {
  const dyno = {
    state,
    lines: [] as string[],
    restart: async (line: string) => void dyno.lines.push(line),
  };
  return dyno;
}

function scheduler(dynos: Record<string, CycledDyno>, clock: FakeClock): CycleScheduler {
  return new CycleScheduler({ cycleMs: 1000, clock, random: () => 0.5, find: (name) => dynos[name] });
}

test('an up dyno is cycled (announced `Cycling`) after the period plus jitter, not before', () => {
  const clock = new FakeClock();
  const web = fakeDyno('up');
  const cycle = scheduler({ 'web.1': web }, clock);
  cycle.arm('web.1');
  assert.deepEqual(clock.dueIn(), [1075]);
  clock.advance(1074);
  assert.deepEqual(web.lines, []);
  clock.advance(1);
  assert.deepEqual(web.lines, ['Cycling']);
});

test('arming again (a restart) replaces the pending timer: the clock resets', () => {
  const clock = new FakeClock();
  const web = fakeDyno('up');
  const cycle = scheduler({ 'web.1': web }, clock);
  cycle.arm('web.1');
  clock.advance(1000);
  cycle.arm('web.1');
  assert.deepEqual(clock.dueIn(), [1075]);
  clock.advance(1000);
  assert.deepEqual(web.lines, []);
});

test('a dyno still starting when its time comes gets another period; a crashed one waits for its restart', () => {
  const clock = new FakeClock();
  const booting = fakeDyno('starting');
  const crashed = fakeDyno('crashed');
  const cycle = scheduler({ 'web.1': booting, 'worker.1': crashed }, clock);
  cycle.arm('web.1');
  cycle.arm('worker.1');
  clock.advance(1075);
  assert.deepEqual(clock.dueIn(), [1075], 'only the booting dyno is re-armed');
  booting.state = 'up';
  clock.advance(1075);
  assert.deepEqual(booting.lines, ['Cycling']);
  assert.deepEqual(crashed.lines, []);
});

test('disarm (the dyno stops) and stop (the formation stops) cancel the timers', () => {
  const clock = new FakeClock();
  const a = fakeDyno('up');
  const b = fakeDyno('up');
  const cycle = scheduler({ 'web.1': a, 'web.2': b }, clock);
  cycle.arm('web.1');
  cycle.arm('web.2');
  cycle.disarm('web.1');
  assert.equal(clock.dueIn().length, 1);
  cycle.stop();
  assert.deepEqual(clock.dueIn(), []);
  clock.advance(10_000);
  assert.deepEqual([...a.lines, ...b.lines], []);
});

test('a dyno that no longer exists (scaled away) is not cycled', () => {
  const clock = new FakeClock();
  const cycle = scheduler({}, clock);
  cycle.arm('web.9');
  clock.advance(2000);
  assert.deepEqual(clock.dueIn(), []);
});
