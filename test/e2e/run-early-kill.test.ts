// Issue 10 item 4: `dyno run` SIGKILLed at any moment, even before its watchdog would have been up,
// leaves no process of the run behind (its command waits until the watchdog holds the run's marker).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { readProcessTable } from '../../src/supervisor/kill-tree.js';
import { fixture } from '../helpers/fixture.js';
import { runDyno, type DynoRun } from '../helpers/run-dyno.js';
import { survivors, survivorsIn, uniqueMarker } from '../helpers/survivors.js';
import { tempApp } from '../helpers/temp-app.js';
import { waitFor } from '../helpers/wait-for.js';

// The command's first act is to write its run id; then it starts a child and becomes another.
const command = (marker: string): string => `echo $DYNO_RUN_ID > started.tmp && mv started.tmp started; (${fixture('forever', marker)} &); exec ${fixture('forever', marker)}`;

// Every live process of the run: by its marker argument, by working directory, by DYNO_RUN_ID.
function runSurvivors(dir: string, marker: string, runId: string | undefined): number[] {
  const byId = runId ? [...readProcessTable({ markers: true }).runIds].filter(([, id]) => id === runId).map(([pid]) => pid) : [];
  return [...new Set([...survivors(marker), ...survivorsIn(dir), ...byId])].filter((pid) => pid !== process.pid);
}

// Resolves once `file` exists in `dir` (fs.watch: no polling delay between its creation and our kill).
function whenCreated(dir: string, file: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = fs.watch(dir, () => {
      if (!fs.existsSync(path.join(dir, file))) return;
      watcher.close();
      resolve();
    });
    if (fs.existsSync(path.join(dir, file))) {
      watcher.close();
      resolve();
    }
  });
}

// SIGKILL dyno run at the moment `when` resolves, then wait until nothing of the run is left.
async function killAndCheck(name: string, when: (run: DynoRun, dir: string) => Promise<void>): Promise<void> {
  const marker = uniqueMarker();
  const app = tempApp({});
  try {
    const run = runDyno(['run', command(marker)], { cwd: app.dir });
    await when(run, app.dir);
    run.signal('SIGKILL');
    // 'exit', not run.exit ('close'): a survivor would hold the output pipes open.
    if (run.child.exitCode === null && run.child.signalCode === null) await new Promise((r) => run.child.once('exit', r));
    const idFile = path.join(app.dir, 'started');
    const runId = fs.existsSync(idFile) ? fs.readFileSync(idFile, 'utf8').trim() : undefined;
    let left: number[] = [];
    try {
      await waitFor(() => (left = runSurvivors(app.dir, marker, runId)).length === 0, { timeoutMs: 8000, what: `no process of the run (${name})` });
    } catch {
      for (const pid of left) process.kill(pid, 'SIGKILL');
    }
    assert.deepEqual(left, [], `processes of the run survive dyno run's SIGKILL ${name}`);
  } finally {
    app.cleanup();
  }
}

test('dyno run SIGKILLed right after it was spawned leaves no process of the run', async () => {
  await killAndCheck('right after spawn', async () => undefined);
});

test('dyno run SIGKILLed as soon as its command has started leaves no process of the run', async () => {
  await killAndCheck('when the command wrote its run id', (_run, dir) => whenCreated(dir, 'started'));
});

test('dyno run SIGKILLed at its command\'s first output leaves no process of the run', async () => {
  await killAndCheck('at the first output', async (run) => void (await run.waitForLine(/^READY$/)));
});
