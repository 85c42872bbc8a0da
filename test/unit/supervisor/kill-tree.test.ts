import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { killTree, killTrees, readProcessTable, treeAlive } from '../../../src/supervisor/kill-tree.js';
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
