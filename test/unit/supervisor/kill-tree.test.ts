import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { killTree, killTrees, pageKbFrom, readProcessTable, treeAlive } from '../../../src/supervisor/kill-tree.js';
import { treeRssMb } from '../../../src/supervisor/memory-monitor.js';
import { assertNoSurvivors, survivors, uniqueMarker } from '../../helpers/survivors.js';
import { waitFor } from '../../helpers/wait-for.js';
import { fixture } from './harness.js';

// Start `sh -c script` as a detached group leader; wait for `ready` READY lines and `procs` processes with the marker (sh included).
async function startTree(script: string, o: { ready: number; procs: number; marker: string; env?: Record<string, string> }): Promise<number> {
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...o.env } });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.unref(); // a failing test must not hang on a leftover tree
  (child.stdout as unknown as Socket).unref();
  await waitFor(() => out.split('READY').length - 1 >= o.ready && survivors(o.marker).length >= o.procs, {
    what: () => `${o.ready} READY and ${o.procs} processes; got ${JSON.stringify(out)}, ${survivors(o.marker).length}`,
  });
  return child.pid!;
}

const trees: Array<{ name: string; script: (m: string) => string; ready: number; procs: number; env?: Record<string, string>; rootExits?: boolean }> = [
  { name: 'grandchildren of a shell', script: (m) => `${fixture('forever', m)} & ${fixture('forever', m)} & wait`, ready: 2, procs: 2 },
  { name: 'a double-forked daemon (cmd &) whose parent is gone', script: (m) => `(${fixture('forever', m)} &); ${fixture('forever', m)}`, ready: 2, procs: 2 },
  { name: 'a child that called setsid while its parent lives', script: (m) => fixture('grandchild', m), ready: 1, procs: 2, env: { GRANDCHILD_SETSID: '1' } },
  { name: 'children left behind by a root that already exited', script: (m) => `${fixture('forever', m)} & ${fixture('forever', m)} & exit 0`, ready: 2, procs: 2, rootExits: true },
];

for (const t of trees) {
  test(`killTree with SIGTERM leaves no survivor: ${t.name}`, async () => {
    const marker = uniqueMarker();
    const pid = await startTree(t.script(marker), { ready: t.ready, procs: t.procs, marker, env: t.env });
    if (t.rootExits) await waitFor(() => !readProcessTable().live.has(pid), { what: 'the root to exit' });
    killTree(pid, 'SIGTERM');
    await assertNoSurvivors(marker);
  });
}

test('a tree that ignores SIGTERM stays alive until SIGKILL, and treeAlive tells', async () => {
  const marker = uniqueMarker();
  const pid = await startTree(`${fixture('ignore-term', marker)} & wait`, { ready: 1, procs: 1, marker });
  const known = killTree(pid, 'SIGTERM');
  await waitFor(() => !readProcessTable().live.has(pid)); // sh died of TERM, its child ignores it
  assert.equal(treeAlive(pid, known, readProcessTable()), true);
  assert.equal(survivors(marker).length, 1);
  killTrees([pid], 'SIGKILL', known);
  await assertNoSurvivors(marker);
  await waitFor(() => !treeAlive(pid, known, readProcessTable()), { timeoutMs: 2000, what: 'the tree to be gone' });
});

test('killTrees signals many trees with one snapshot', async () => {
  const marker = uniqueMarker();
  const pids = await Promise.all([1, 2, 3].map(() => startTree(`${fixture('forever', marker)} & wait`, { ready: 1, procs: 0, marker })));
  await waitFor(() => survivors(marker).length === 6); // 3 × (sh + node)
  const signalled = killTrees(pids, 'SIGTERM');
  assert.ok(signalled.length >= 6, `roots and their children signalled: ${signalled.length}`);
  await assertNoSurvivors(marker);
});

test('killTree refuses to signal group 0, 1 or a negative pid (it would hit us or everything)', () => {
  for (const bad of [0, 1, -5, 1.5]) assert.throws(() => killTree(bad, 'SIGTERM'), /refusing/);
});

// /proc/self/status as the kernel writes it, trimmed to what matters.
const status = (rssKb: number): string => `Name:\tnode\nVmPeak:\t 1000000 kB\nVmRSS:\t ${rssKb} kB\nThreads:\t7\n`;
const pageRows: Array<{ name: string; statm: string; status: string; kb: number }> = [
  { name: '4 KiB pages (x86-64)', statm: '300000 12000 5000 10 0 40000 0\n', status: status(48000), kb: 4 },
  { name: '16 KiB pages (Apple silicon Linux)', statm: '300000 3000 1250 10 0 40000 0\n', status: status(48000), kb: 16 },
  { name: '64 KiB pages (arm64/ppc64 kernels)', statm: '300000 750 300 10 0 40000 0\n', status: status(48000), kb: 64 },
  { name: 'RSS grew between the two reads: still rounds to the page size', statm: '300000 12000 5000 10 0 40000 0\n', status: status(53000), kb: 4 },
  { name: 'RSS shrank between the two reads: still rounds to the page size', statm: '300000 3000 1250 10 0 40000 0\n', status: status(41000), kb: 16 },
  { name: 'no VmRSS line (kernel thread): 4', statm: '0 0 0 0 0 0 0\n', status: 'Name:\tkthreadd\n', kb: 4 },
  { name: 'zero resident pages: 4, not Infinity', statm: '300000 0 0 0 0 0 0\n', status: status(48000), kb: 4 },
  { name: 'garbled statm: 4', statm: 'garbage', status: status(48000), kb: 4 },
];
for (const row of pageRows) {
  test(`page size derivation: ${row.name}`, () => {
    assert.equal(pageKbFrom(row.statm, row.status), row.kb);
  });
}

test('RSS in the process table is in KiB with the real page size: our own matches process.memoryUsage()', () => {
  const table = readProcessTable();
  const expectedKb = process.memoryUsage().rss / 1024; // libuv: stat pages × getpagesize()
  const kb = table.rssKb.get(process.pid);
  assert.ok(kb !== undefined, 'our own RSS is in the table');
  assert.ok(Math.abs(kb - expectedKb) < expectedKb * 0.25, `table ${kb} KiB vs memoryUsage ${expectedKb} KiB`);
  assert.ok(Math.abs(treeRssMb(process.pid, table) * 1024 - kb) < expectedKb * 0.25, 'treeRssMb sums the same KiB (we have no children here)');
});
