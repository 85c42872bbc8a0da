// MemoryMonitor on a fake process table and fake children: rounds, tree sums, de-duplication, R15 once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Child } from '../../../src/supervisor/child.js';
import { readProcessTable, type ProcessTable } from '../../../src/supervisor/kill-tree.js';
import { MemoryMonitor, type SampledDyno } from '../../../src/supervisor/memory-monitor.js';
import { Collector, FakeClock } from './harness.js';

const limits = { size: 'custom', quotaMb: 100, r15Mb: 200 };

// A child whose signals are recorded instead of sent.
function fakeChild(pid: number): Child & { sent: string[] } {
  const sent: string[] = [];
  return { pid, exit: null, sent, signal: (sig: string) => (sent.push(sig), []) } as unknown as Child & { sent: string[] };
}

// A table where each pid has RSS in MB and a parent.
function table(procs: Record<number, { ppid: number; mb: number }>): ProcessTable {
  const t: ProcessTable = { children: new Map(), live: new Set(), groups: new Set(), pgids: new Map(), names: new Map(), rssKb: new Map(), runIds: new Map(), exact: true };
  for (const [pid, { ppid, mb }] of Object.entries(procs)) {
    t.live.add(Number(pid));
    t.rssKb.set(Number(pid), mb * 1024);
    t.children.set(ppid, [...(t.children.get(ppid) ?? []), Number(pid)]);
  }
  return t;
}

function setup(dynos: SampledDyno[], procs: () => Record<number, { ppid: number; mb: number }>): { monitor: MemoryMonitor; bus: Collector; clock: FakeClock; reads: number[] } {
  const bus = new Collector();
  const clock = new FakeClock();
  const reads: number[] = [];
  const readTable = (): ProcessTable => (reads.push(1), table(procs()));
  return { monitor: new MemoryMonitor({ limits, sampleMs: 2000, clock, bus, dynos: () => dynos, readTable }), bus, clock, reads };
}

test('one process-table read per round for all dynos; each dyno counts its whole tree', () => {
  const web = { name: 'web.1', child: fakeChild(10) };
  const worker = { name: 'worker.1', child: fakeChild(20) };
  const { monitor, reads } = setup([web, worker], () => ({ 10: { ppid: 1, mb: 2 }, 11: { ppid: 10, mb: 30 }, 12: { ppid: 11, mb: 8 }, 20: { ppid: 1, mb: 50 }, 99: { ppid: 1, mb: 500 } }));
  monitor.sample();
  assert.equal(reads.length, 1);
  assert.deepEqual(monitor.statusOf('web.1'), { rssMb: 40, memoryQuotaMb: 100 });
  assert.deepEqual(monitor.statusOf('worker.1'), { rssMb: 50, memoryQuotaMb: 100 });
  assert.deepEqual(monitor.statusOf('clock.1'), { memoryQuotaMb: 100 }, 'not sampled yet: quota only');
});

test('R14 once when the quota is crossed, quiet while it lasts, again 20 s later; the dyno keeps running', () => {
  const web = { name: 'web.1', child: fakeChild(10) };
  const { monitor, bus, clock } = setup([web], () => ({ 10: { ppid: 1, mb: 130 } }));
  monitor.start();
  for (let i = 0; i < 10; i++) clock.advance(2000);
  assert.deepEqual(bus.texts('web.1', 'heroku'), ['Process running mem=130MB(130.0%)', 'Error R14 (Memory quota exceeded)']);
  clock.advance(2000);
  assert.equal(bus.count(/^Error R14/, 'web.1'), 2, '20 s after the first');
  assert.deepEqual(web.child.sent, []);
  monitor.stop();
  assert.deepEqual(clock.dueIn(), []);
});

test('R15 at twice the quota: the lines, then SIGKILL, once, however many rounds see it die', () => {
  const web = { name: 'web.1', child: fakeChild(10) };
  const { monitor, bus } = setup([web], () => ({ 10: { ppid: 1, mb: 250 } }));
  monitor.sample();
  monitor.sample();
  assert.deepEqual(bus.texts('web.1', 'heroku'), ['Process running mem=250MB(250.0%)', 'Error R15 (Memory quota vastly exceeded)', 'Stopping process with SIGKILL']);
  assert.deepEqual((web.child as Child & { sent: string[] }).sent, ['SIGKILL']);
});

test('a new run of the dyno starts afresh: R14 at once, R15 can strike again', () => {
  let mb = 130;
  const web: { name: string; child: Child | null } = { name: 'web.1', child: fakeChild(10) };
  const { monitor, bus } = setup([web], () => ({ 10: { ppid: 1, mb }, 11: { ppid: 1, mb } }));
  monitor.sample();
  web.child = fakeChild(11);
  monitor.sample();
  assert.equal(bus.count(/^Error R14/), 2);
  mb = 300;
  monitor.sample();
  web.child = null; // crashed: nothing to sample, its memory is forgotten
  monitor.sample();
  assert.deepEqual(monitor.statusOf('web.1'), { memoryQuotaMb: 100 });
  assert.equal(bus.count(/^Error R15/), 1);
});

test('under the quota nothing is logged', () => {
  const { monitor, bus } = setup([{ name: 'web.1', child: fakeChild(10) }], () => ({ 10: { ppid: 1, mb: 99 } }));
  monitor.sample();
  assert.deepEqual(bus.lines, []);
});

test('the real process table reports RSS in KiB (page size from /proc/self), close to what Node reports', () => {
  const ours = readProcessTable().rssKb.get(process.pid);
  const expected = process.memoryUsage().rss / 1024;
  assert.ok(ours !== undefined && Math.abs(ours - expected) / expected < 0.1, `table ${ours} KiB, node ${expected} KiB`);
});
