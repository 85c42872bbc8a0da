import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { pageKbFrom, parsePsMarkers, parsePsTable, readProcessTable, runAlive, runIdIn, runMembers, signalRun, type ProcessSource, type RunRef } from '../../../src/supervisor/kill-tree.js';
import { treeRssMb } from '../../../src/supervisor/memory-monitor.js';
import { assertNoSurvivors, survivors, uniqueMarker } from '../../helpers/survivors.js';
import { waitFor } from '../../helpers/wait-for.js';
import { fixture } from './harness.js';

// Start `bash -c script` as a detached group leader marked with DYNO_RUN_ID; wait for `ready` READY lines and `procs` marker processes.
async function startTree(script: string, o: { ready: number; procs: number; marker: string; env?: Record<string, string> }): Promise<RunRef & { output(): string }> {
  const runId = `test.${o.marker}`;
  const child = spawn('bash', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...o.env, DYNO_RUN_ID: runId } });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.unref(); // a failing test must not hang on a leftover tree
  (child.stdout as unknown as Socket).unref();
  await waitFor(() => out.split('READY').length - 1 >= o.ready && survivors(o.marker).length >= o.procs, {
    what: () => `${o.ready} READY and ${o.procs} processes; got ${JSON.stringify(out)}, ${survivors(o.marker).length}`,
  });
  return { root: child.pid!, pgid: child.pid!, runId, output: () => out };
}

const trees: Array<{ name: string; script: (m: string) => string; ready: number; procs: number; env?: Record<string, string>; rootExits?: boolean }> = [
  { name: 'grandchildren of a shell', script: (m) => `${fixture('forever', m)} & ${fixture('forever', m)} & wait`, ready: 2, procs: 2 },
  { name: 'a double-forked daemon (cmd &) whose parent is gone', script: (m) => `(${fixture('forever', m)} &); ${fixture('forever', m)}`, ready: 2, procs: 2 },
  { name: 'a child that called setsid while its parent lives', script: (m) => fixture('grandchild', m), ready: 1, procs: 2, env: { GRANDCHILD_SETSID: '1' } },
  { name: 'children left behind by a root that already exited', script: (m) => `${fixture('forever', m)} & ${fixture('forever', m)} & exit 0`, ready: 2, procs: 2, rootExits: true },
  { name: 'a setsid + double-fork daemon reparented to PID 1 (found only by its marker)', script: (m) => `${fixture('daemon', m)}; echo READY; exit 0`, ready: 1, procs: 1, rootExits: true },
  { name: 'a crash-looping (setsid cmd &); exit 1', script: (m) => `(setsid ${fixture('forever', m)} &); exit 1`, ready: 1, procs: 1, rootExits: true },
];

for (const source of ['proc', 'ps'] as ProcessSource[]) {
  for (const t of trees) {
    test(`[${source}] one SIGTERM per process leaves no survivor: ${t.name}`, async () => {
      const marker = uniqueMarker();
      const run = await startTree(t.script(marker), { ready: t.ready, procs: t.procs, marker, env: t.env });
      if (t.rootExits) await waitFor(() => !readProcessTable({ source }).live.has(run.root), { what: 'the root to exit' });
      const table = readProcessTable({ source, markers: true });
      for (const pid of survivors(marker)) assert.ok(runMembers(run, table).includes(pid), `${pid} is found as a member of the run`);
      signalRun(run, 'SIGTERM', table);
      await assertNoSurvivors(marker);
      // The root is this test's child: until node reaps it (SIGCHLD is asynchronous) it is a zombie in the table.
      await waitFor(() => !runAlive(run, readProcessTable({ source, markers: true })), { timeoutMs: 2000, what: 'the run to be gone' });
    });
  }

  test(`[${source}] a run that ignores SIGTERM stays alive until SIGKILL, and runAlive tells`, async () => {
    const marker = uniqueMarker();
    const run = await startTree(`${fixture('ignore-term', marker)} & wait`, { ready: 1, procs: 1, marker });
    signalRun(run, 'SIGTERM', readProcessTable({ source, markers: true }));
    await waitFor(() => !readProcessTable().live.has(run.root)); // bash died of TERM, its child ignores it
    assert.equal(runAlive(run, readProcessTable({ source, markers: true })), true);
    assert.equal(survivors(marker).length, 1);
    signalRun(run, 'SIGKILL', readProcessTable({ source, markers: true }));
    await assertNoSurvivors(marker);
    await waitFor(() => !runAlive(run, readProcessTable({ source, markers: true })), { timeoutMs: 2000, what: 'the run to be gone' });
  });
}

test('signalRun sends exactly one SIGTERM to each process: group members and a setsid child', async () => {
  const marker = uniqueMarker();
  const counter = fixture('count-term', marker);
  const script = `${counter} & (setsid ${counter} &) ; ${counter} & wait`;
  const run = await startTree(script, { ready: 3, procs: 3, marker, env: { TERM_EXIT_MS: '300' } });
  const members = signalRun(run, 'SIGTERM', readProcessTable({ markers: true }));
  assert.ok(members.length >= 4, `bash and three counters: ${members.length}`);
  await assertNoSurvivors(marker);
  const terms = run.output().split('\n').filter((l) => l.startsWith('TERM '));
  assert.deepEqual(terms.map((l) => l.split(' ')[2]), ['1', '1', '1'], run.output());
});

test('killTree-style guards: signalRun refuses root 0, 1, negative or fractional pids', () => {
  const table = readProcessTable();
  for (const bad of [0, 1, -5, 1.5]) assert.throws(() => signalRun({ root: bad, pgid: bad, runId: 'x' }, 'SIGTERM', table), /refusing/);
});

const markerRows: Array<{ env: string; sep: '\0' | ' '; id: string | undefined }> = [
  { env: 'A=1\0DYNO_RUN_ID=12.3\0B=2', sep: '\0', id: '12.3' },
  { env: 'DYNO_RUN_ID=12.3\0B=2', sep: '\0', id: '12.3' },
  { env: 'A=1\0DYNO_RUN_ID=12.3', sep: '\0', id: '12.3' },
  { env: 'A=1\0XDYNO_RUN_ID=12.3', sep: '\0', id: undefined },
  { env: 'A=1\0DYNO_RUN_ID=\0', sep: '\0', id: undefined },
  { env: 'node app.js PATH=/bin DYNO_RUN_ID=77.4 HOME=/root', sep: ' ', id: '77.4' },
  { env: 'node app.js PATH=/bin', sep: ' ', id: undefined },
];
for (const row of markerRows) {
  test(`run marker parsing: ${JSON.stringify(row.env)} → ${row.id}`, () => {
    assert.equal(runIdIn(row.env, row.sep), row.id);
  });
}

test('the ps fallback reads pid, ppid, pgid, state, rss and comm (a macOS path or a name with spaces), and markers from ps e', () => {
  const table = parsePsTable(['  1     0     1 Ss     120 /sbin/launchd', ' 42     1    42 S+    2048 /usr/local/bin/node', ' 43    42    42 Z        0 (sh)', ' 44    42    42 R     900 Web Content', 'garbage'].join('\n'));
  assert.deepEqual([...table.live], [1, 42, 44]);
  assert.equal(table.names.get(42), 'node');
  assert.equal(table.names.get(44), 'Web Content');
  assert.equal(table.pgids.get(44), 42);
  assert.equal(table.rssKb.get(42), 2048);
  assert.deepEqual(table.children.get(42), [44]);
  parsePsMarkers([' 42 node app.js PATH=/bin DYNO_RUN_ID=9.1 HOME=/', ' 44 x DYNO_RUN_ID=9.2', ' 43 sh DYNO_RUN_ID=9.1'].join('\n'), table);
  assert.deepEqual([...table.runIds], [[42, '9.1'], [44, '9.2']]);
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
