import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormationMoments, formatSummaryLine, formatUpLine } from '../../../src/cli/formation-moments.js';
import type { DynoSpec, LogLine } from '../../../src/core/types.js';
import type { DynoStatus, SupervisorEvent } from '../../../src/supervisor/supervisor.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const up: Array<[number, number, string | undefined, string]> = [
  [3, 1234, 'http://127.0.0.1:5006', 'All 3 dynos up in 1.2s: http://127.0.0.1:5006'],
  [1, 80, undefined, 'All 1 dyno up in 0.1s (no router)'],
  [2, 75_000, 'http://127.0.0.1:5006', 'All 2 dynos up in 1m15s: http://127.0.0.1:5006'],
];
for (const [n, ms, url, want] of up) test(`up line: ${want}`, () => assert.equal(formatUpLine(n, ms, url), want));

test('summary line: uptime, restarts, crashes and H-codes in numeric order', () => {
  assert.equal(formatSummaryLine({ uptimeMs: 192_000, restarts: 2, crashes: 1, codes: { H13: 1, H12: 3 } }), 'Stopped after 3m12s: 2 restarts, 1 crash, H-codes H12×3 H13×1');
  assert.equal(formatSummaryLine({ uptimeMs: 4_000, restarts: 1, crashes: 0, codes: {} }), 'Stopped after 4s: 1 restart, 0 crashes, no H-codes');
});

test('the up line waits for arm(): dynos that are up while apply() is still spawning are not the formation', () => {
  const listeners: Array<(e: SupervisorEvent) => void> = [];
  const dynos: DynoStatus[] = [];
  const lines: string[] = [];
  const supervisor = { on: (l: (e: SupervisorEvent) => void) => (listeners.push(l), () => undefined), list: () => dynos };
  const bus = { publish: (l: LogLine) => void lines.push(l.text), subscribe: () => () => undefined };
  const moments = new FormationMoments({ supervisor, bus, clock: new FakeClock(), routerUrl: undefined });
  const spawnUp = (name: string): void => {
    dynos.push({ name, type: 'worker', state: 'up', pid: 1, port: 0, startedAt: 0, restarts: 0, command: 'x' });
    for (const l of listeners) l({ type: 'state-changed', dyno: name, spec: {} as DynoSpec, from: 'starting', to: 'up' });
  };
  spawnUp('worker.1'); // apply() has spawned one of three so far
  spawnUp('worker.2');
  assert.deepEqual(lines, []);
  spawnUp('worker.3');
  moments.arm();
  assert.deepEqual(lines, ['All 3 dynos up in 0.0s (no router)']);
  moments.arm();
  spawnUp('worker.4');
  assert.equal(lines.length, 1, 'announced once');
});
