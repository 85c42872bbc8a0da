// LoadRunner with a fake `dyno load` child: one run at a time, state from the child's events, Stop as
// SIGINT (then SIGKILL after the grace), and the swept type scaled back when the child dies unrestored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynoError } from '../../../src/core/errors.js';
import type { Formation } from '../../../src/core/types.js';
import { LoadRunner, type LoadRun } from '../../../src/dashboard/load-runner.js';
import type { LoadChild, LoadEvent, SpawnLoadOptions } from '../../../src/load/spawn-load.js';

interface Fake {
  args: string[];
  emit(e: LoadEvent): void;
  end(code: number, stderr?: string): void;
  signals: string[];
}

// A runner whose children are fakes; `formation` is what ps/scale see.
function setup(o: { onInterrupt?: (f: Fake) => void; stopGraceMs?: number } = {}): { runner: LoadRunner; children: Fake[]; formation: Formation; scaled: string[]; seen: LoadRun[] } {
  const formation: Formation = { web: 1, worker: 1 };
  const scaled: string[] = [];
  const children: Fake[] = [];
  const control = {
    ps: () => ({ dynos: [], formation: { ...formation } }),
    scale: async (args: string[]) => {
      scaled.push(...args);
      for (const a of args) formation[a.split('=')[0]!] = Number(a.split('=')[1]);
      return { ...formation };
    },
  };
  const spawn = (s: SpawnLoadOptions): LoadChild => {
    let end!: (r: { code: number; stderr: string }) => void;
    const exit = new Promise<{ code: number; stderr: string }>((resolve) => (end = resolve));
    const fake: Fake = { args: s.args, emit: s.onEvent, end: (code, stderr = '') => end({ code, stderr }), signals: [] };
    children.push(fake);
    return {
      pid: 1, exit,
      interrupt: () => (fake.signals.push('SIGINT'), o.onInterrupt?.(fake)),
      kill: () => (fake.signals.push('SIGKILL'), fake.end(137)),
    };
  };
  const runner = new LoadRunner({ root: '/app', control, spawn, stopGraceMs: o.stopGraceMs });
  const seen: LoadRun[] = [];
  runner.subscribe((run) => seen.push(run));
  return { runner, children, formation, scaled, seen };
}

const sweep = { path: '/work', connections: 2, durationMs: 1000, warmupMs: 0, sweep: { type: 'web', from: 1, to: 2 } };
const report = (restored: Formation, interrupted = false): LoadEvent => ({ type: 'reported', report: { kind: 'sweep', type: 'web', plan: { url: 'http://x/work', method: 'GET', connections: 2, durationMs: 1000, warmupMs: 0 }, rows: [], verdict: 'no counts were measured', restored, interrupted } });

test('a run starts once dyno load says started, follows its steps and rows, and finishes; a second start meanwhile is ALREADY_RUNNING', async () => {
  const { runner, children, seen } = setup();
  const starting = runner.start(sweep);
  assert.deepEqual(children[0]!.args, ['/work', '-c', '2', '-d', '1000ms', '--warmup', '0ms', '--sweep', 'web=1..2']);
  children[0]!.emit({ type: 'started', sweep: { type: 'web', counts: [1, 2] } });
  const run = await starting;
  assert.equal(run.state, 'running');
  assert.deepEqual(run.counts, [1, 2]);
  await assert.rejects(runner.start(sweep), (err: unknown) => err instanceof DynoError && err.code === 'ALREADY_RUNNING');
  children[0]!.emit({ type: 'step-started', phase: 'measuring', count: 1, text: 'web=1: measuring' });
  children[0]!.emit({ type: 'row-measured', row: { count: 1 } });
  children[0]!.emit(report({ web: 1, worker: 1 }));
  children[0]!.end(0);
  await new Promise((r) => setImmediate(r));
  const last = runner.current()!;
  assert.equal(last.state, 'finished');
  assert.deepEqual(last.restored, { web: 1, worker: 1 });
  assert.match(last.text!, /^verdict: no counts were measured$/m);
  assert.deepEqual(seen.map((r) => r.state), ['starting', 'running', 'running', 'running', 'running', 'finished']);
  assert.deepEqual(seen[2]!.step, { phase: 'measuring', count: 1, text: 'web=1: measuring' });
});

test('an error dyno load reports before it starts comes back with its code, and the runner is free again', async () => {
  const { runner, children, scaled } = setup();
  const starting = runner.start(sweep);
  children[0]!.emit({ type: 'failed', error: { code: 'UNKNOWN_TYPE', message: "Couldn't find that process type (nosuch)." } });
  children[0]!.end(2, "dyno: Couldn't find that process type (nosuch).\n");
  await assert.rejects(starting, (err: unknown) => err instanceof DynoError && err.code === 'UNKNOWN_TYPE');
  assert.equal(runner.current()!.state, 'failed');
  assert.deepEqual(scaled, [], 'nothing to restore');
  const again = runner.start(sweep);
  children[1]!.emit({ type: 'started' });
  assert.equal((await again).state, 'running');
});

test('Stop interrupts the child and resolves once it has reported and exited: stopped, formation restored', async () => {
  const { runner, children } = setup({ onInterrupt: (f) => (f.emit(report({ web: 1, worker: 1 }, true)), f.end(130)) });
  const starting = runner.start(sweep);
  children[0]!.emit({ type: 'started' });
  await starting;
  const run = await runner.stop();
  assert.deepEqual(children[0]!.signals, ['SIGINT']);
  assert.equal(run.state, 'stopped');
  assert.deepEqual(run.restored, { web: 1, worker: 1 });
  await assert.rejects(runner.stop(), (err: unknown) => err instanceof DynoError && err.code === 'NOT_RUNNING');
});

test('a child that ignores Stop is killed after the grace; the swept type it left scaled is scaled back', async () => {
  const { runner, children, formation, scaled } = setup({ stopGraceMs: 20 });
  const starting = runner.start(sweep);
  children[0]!.emit({ type: 'started' });
  await starting;
  formation.web = 2; // the sweep had scaled to web=2
  const run = await runner.stop();
  assert.deepEqual(children[0]!.signals, ['SIGINT', 'SIGKILL']);
  assert.equal(run.state, 'failed');
  assert.match(run.error!.message, /^dyno load ended with status 137 before its report$/);
  assert.deepEqual(scaled, ['web=1']);
  assert.deepEqual(run.restored, { web: 1, worker: 1 });
});
