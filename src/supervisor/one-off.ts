// A one-off dyno (`dyno run`): the command attached to our terminal, like `heroku run`, and a dyno like
// any other: `bash -c`, marked with DYNO_RUN_ID, and everything it starts dies with it.
// Not detached: it stays in the terminal's foreground process group, so Ctrl-C and job control reach it
// directly (a REPL survives its Ctrl-C, as on Heroku). SIGTERM and SIGHUP (terminal closed), and a SIGINT
// that did not come from a terminal, are sent once to every process of the run; once the root has
// exited, what is left gets SIGTERM, then SIGKILL after the grace. If dyno run is SIGKILLed, its
// watchdog stops the run: the command is spawned only once the watchdog holds the run's marker (issue 10
// item 4: a SIGKILL between spawn and registration left the command running), so a SIGKILL at any moment
// leaves nothing behind. Resolves with the root's exit once no process of the run is left.
import { spawn } from 'node:child_process';
import { exitInfo } from '../core/signals.js';
import type { ExitInfo } from '../core/types.js';
import { RUN_MARKER, signalRun, type RunRef } from './kill-tree.js';
import { RunTracker } from './run-tracker.js';
import { childArgv } from './child.js';
import { defaultShell, type Shell } from './shell.js';
import type { Watchdog } from './watchdog.js';
import type { Launcher } from './launcher.js';

export interface OneOffOptions {
  command: string;
  env: Record<string, string>;
  cwd: string;
  /** Wraps the spawn (dyno run --ephemeral); its `ended` runs once the run is gone. */
  launcher?: Launcher;
  /** Name for the launcher (`run.4242`). */
  dyno?: string;
  shell?: Shell;
  tracker?: RunTracker;
  /** Started by the caller as early as it can; the command is spawned once it is up and holds the run. */
  watchdog?: Promise<Watchdog>;
  /** SIGTERM → SIGKILL grace for what the command leaves behind or when we are told to stop. Default 5000. */
  graceMs?: number;
  /** True when our stdin is a terminal: a SIGINT then came from it and reached the command already. */
  interactive?: boolean;
  /** Told once the watchdog holds the run (--debug prints it). */
  onWatched?(watchdogPid: number, runId: string): void;
}

/** Run to completion with inherited stdio; see above. */
export async function runOneOff(o: OneOffOptions): Promise<ExitInfo> {
  const tracker = o.tracker ?? new RunTracker();
  const runId = tracker.newRunId();
  const w = await o.watchdog?.catch(() => undefined);
  // Before the command exists the run is its marker alone, rooted at us: should we be SIGKILLed from
  // here on, the watchdog finds the command (and all it starts) by DYNO_RUN_ID.
  const early: RunRef = { root: process.pid, pgid: 0, runId };
  w?.register(early);
  w?.flush(); // in the pipe before the spawn, not at the end of this tick
  return superviseOneOff(o, { tracker, runId, watchdog: w, early });
}

// Spawn the command (the watchdog already holds its marker) and see it and its leftovers to the end.
function superviseOneOff(o: OneOffOptions, s: { tracker: RunTracker; runId: string; watchdog: Watchdog | undefined; early: RunRef }): Promise<ExitInfo> {
  const { tracker, runId, early } = s;
  const [file, args] = childArgv(o.shell ?? defaultShell(), o.command);
  return new Promise((resolve, reject) => {
    const launch = o.launcher?.({ argv: [file, ...args], dyno: o.dyno ?? 'run', cwd: o.cwd }) ?? { file, args };
    const child = spawn(launch.file, launch.args, { cwd: o.cwd, env: { ...o.env, [RUN_MARKER]: runId }, stdio: 'inherit' });
    const run: RunRef = { root: child.pid ?? 0, pgid: 0, runId };
    let killAt: NodeJS.Timeout | undefined;
    let sweep: NodeJS.Signals | null = null;
    const armKill = (): void => {
      killAt ??= setTimeout(() => {
        sweep = 'SIGKILL';
        if (run.root) tracker.signal([run], 'SIGKILL');
      }, o.graceMs ?? 5000);
    };
    const stop = (sig: NodeJS.Signals): void => {
      if (!run.root) return;
      tracker.signal([run], sig);
      armKill();
    };
    const onInt = (sig: NodeJS.Signals): void => {
      if (!o.interactive) stop(sig);
    };
    const forward = (sig: NodeJS.Signals): void => tracker.forward([run], sig);
    const handlers: Array<[NodeJS.Signals, (sig: NodeJS.Signals) => void]> = [
      ['SIGINT', onInt], ['SIGQUIT', onInt], ['SIGTERM', stop], ['SIGHUP', stop], ['SIGUSR1', forward], ['SIGUSR2', forward],
    ];
    for (const [sig, fn] of handlers) process.on(sig, fn);
    const w = s.watchdog;
    if (w && run.root) {
      w.register(run);
      w.unregister(early);
      o.onWatched?.(w.pid ?? 0, runId);
    }
    const release = async (): Promise<void> => {
      clearTimeout(killAt);
      for (const [sig, fn] of handlers) process.off(sig, fn);
      if (w) {
        w.unregister(run.root ? run : early);
        await w.close();
      }
    };
    child.once('error', (err) => void release().then(() => reject(err)));
    child.once('exit', (code, signal) => {
      const exit = exitInfo(code, signal);
      // The one-off ends with its command: whatever it left behind gets SIGTERM, then SIGKILL after the grace.
      const table = tracker.table();
      if (tracker.signal([run], 'SIGTERM', table)[0]?.length) armKill();
      void tracker.whenGone(run, (now) => void (sweep && signalRun(run, sweep, now))).then(release).then(() => {
        launch.ended?.(exit);
        resolve(exit);
      });
    });
  });
}
