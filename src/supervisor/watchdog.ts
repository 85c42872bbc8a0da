// The watchdog: a tiny process that outlives the manager and stops every registered run when its pipe
// from the manager closes without a goodbye, i.e. when the manager was SIGKILLed. It runs in its own
// session, so Ctrl-C to the manager's terminal does not reach it. The manager supervises it: if the
// watchdog dies, another is started and handed every live run (one line is logged). Protocol on its
// stdin, one line each:
//   +<root> <pgid> <run id>  register   -<root> <pgid> <run id>  unregister   g<ms>  grace   s<source>  proc|ps
//   m<prefix>  every process whose marker starts with <prefix> is a run's too   q  quit quietly
// (pgid 0: the run has no group of its own, e.g. `dyno run` in the terminal's group). It writes
// `ready` on stdout once it listens. On EOF without `q`: SIGTERM once to every process of every run
// (group, descendants, marker, marker prefix), wait until they are gone or the grace (default 5 s) is
// over, SIGKILL the rest.
// Two stages (issue 13): a /bin/sh relay waits, the Node killer runs only when needed (watchdog-command.ts).
// The manager does not wait for `ready` to use it: what it writes waits in the pipe, and a watchdog
// that has been spawned reads it even if the manager is SIGKILLed meanwhile. Lines written in one tick
// go out as one write (starting 100 dynos: one write, not 100). With the marker prefix (the manager's
// pid), a dyno spawned in that tick is held from the moment it exists, before its own line is written.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import type { ProcessSource, RunRef } from './kill-tree.js';
import { watchdogCommand } from './watchdog-command.js';

/** The watchdog process's own side (`dyno __watchdog`) lives in watchdog-process.ts. */
export { runWatchdog } from './watchdog-process.js';

/** The manager's handle on its watchdog. */
export interface Watchdog {
  /** Watch a run (its process group, root and marker). */
  register(run: RunRef): void;
  unregister(run: RunRef): void;
  /** Write the lines of this tick now, not at its end (dyno run: the watchdog holds the marker before the command exists). */
  flush(): void;
  /** Say goodbye (nothing is killed) and wait for the watchdog to exit. */
  close(): Promise<void>;
  /** Pid of the current watchdog process (tests kill it). */
  readonly pid?: number;
}

/** A watchdog launched without waiting for it: `ready` settles once it listens (rejects if it never does). */
export interface LaunchedWatchdog extends Watchdog {
  readonly ready: Promise<void>;
}

/** Options of startWatchdog. */
export interface WatchdogOptions {
  /** Command that runs runWatchdog() (the killer); default: this binary with `__watchdog`. */
  argv?: string[];
  /** The shell that runs RELAY in front of the killer; null: the killer is the watchdog. Default /bin/sh if present. */
  relayShell?: string | null;
  /** Grace between SIGTERM and SIGKILL when it has to kill. Default 5000. */
  graceMs?: number;
  /** Give up if it has not said `ready` by then. Default 10000. */
  startTimeoutMs?: number;
  /** Process table source the watchdog uses (DYNO_PROC_FALLBACK=ps). */
  source?: ProcessSource;
  /** Every process whose marker starts with this is held too (the RunTracker's prefix: runs not yet registered). */
  markerPrefix?: string;
  /** Told once each time a dead watchdog was replaced (or could not be). */
  onReplaced?(text: string): void;
  /** A relay that was sent more lines than this plus 4 per live run is replaced by a fresh one holding the live runs only. Default 1000. */
  rotateAfterLines?: number;
}

// Wait for the `ready` line (or fail if the process dies or stays silent).
function awaitReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => fail(err.message);
    const onExit = (code: number | null, signal: string | null): void => fail(`exited with ${signal ?? code}`);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('error', onError);
      child.off('exit', onExit);
    };
    const fail = (why: string): void => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`watchdog did not start: ${why}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (!seen.includes('ready\n')) return;
      cleanup();
      resolve();
    });
    child.once('error', onError);
    child.once('exit', onExit);
  });
}

const runKey = (run: RunRef): string => `${run.root} ${run.pgid} ${run.runId}`;

/** One watchdog process: its pipe, and whether it has said `ready`. */
interface Launched {
  child: ChildProcess;
  stdin: Socket;
  ready: Promise<void>;
  isReady: boolean;
  /** Behind the relay, which keeps every line it is sent (rotated: see launchWatchdog). */
  relay: boolean;
}

// Start one watchdog process and hand it the settings and `runs` at once (they wait in the pipe).
function launch(o: WatchdogOptions, runs: Iterable<RunRef>): Launched {
  const command = watchdogCommand(o);
  const [file, ...args] = command.argv;
  const child = spawn(file!, args, { detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
  const stdin = child.stdin as Socket;
  stdin.on('error', () => undefined); // the watchdog died: the manager replaces it
  const settings = [`g${o.graceMs ?? 5000}`, ...(o.source ? [`s${o.source}`] : []), ...(o.markerPrefix ? [`m${o.markerPrefix}`] : [])];
  stdin.write(`${[...settings, ...[...runs].map((run) => `+${runKey(run)}`)].join('\n')}\n`);
  const launched: Launched = { child, stdin, ready: awaitReady(child, o.startTimeoutMs ?? 10_000), isReady: false, relay: command.relay };
  launched.ready.then(() => {
    launched.isReady = true;
    child.stdout!.destroy();
  }, () => undefined).finally(command.done);
  // Never keep the manager alive on its own account.
  child.unref();
  stdin.unref();
  return launched;
}

/** Start the watchdog process and wait until it listens; a watchdog that dies is replaced. */
export async function startWatchdog(o: WatchdogOptions = {}): Promise<Watchdog> {
  const watchdog = launchWatchdog(o);
  await watchdog.ready;
  return watchdog;
}

/**
 * Start the watchdog process without waiting for it (see the top of this file); `ready` tells whether
 * it came up. A watchdog that dies after it was ready is replaced.
 */
export function launchWatchdog(o: WatchdogOptions = {}): LaunchedWatchdog {
  const runs = new Map<string, RunRef>();
  let current = launch(o, []);
  let closing = false;
  let pending = '';
  /** Lines sent to the current watchdog since it was launched. */
  let sent = 0;
  // Lines of one tick go out together; a watchdog that died gets nothing (its successor is handed `runs`).
  const flush = (): void => {
    const lines = pending;
    pending = '';
    if (lines && current.stdin.writable) current.stdin.write(lines);
    if (current.relay && !closing && sent > (o.rotateAfterLines ?? 1000) + 4 * runs.size) rotate();
  };
  const send = (line: string): void => {
    if (!pending) queueMicrotask(flush);
    pending += `${line}\n`;
    sent++;
  };
  // The relay keeps every line (a crash loop adds two per restart): a fresh one is handed the live
  // runs, then the old one is told goodbye, at once, so that at most a few instructions' worth of time
  // has both holding the runs.
  const rotate = (): void => {
    const old = current;
    current = launch(o, runs.values());
    sent = runs.size;
    supervise(current);
    const next = current;
    next.ready.catch((err: Error) => o.onReplaced?.(`watchdog (pid ${old.child.pid}) could not be renewed: ${err.message}`));
    if (old.stdin.writable) old.stdin.end('q\n');
  };
  // The watchdog died while we live: start another at once and hand it every live run (registrations
  // made from now on go to the new one's pipe). One that never came up is not replaced again.
  const supervise = (launched: Launched): void => {
    launched.child.once('exit', (code, signal) => {
      if (closing || launched !== current || !launched.isReady) return;
      const dead = `watchdog (pid ${launched.child.pid}) died (${signal ?? `exit ${code}`})`;
      pending = '';
      current = launch(o, runs.values());
      const next = current;
      supervise(next);
      next.ready.then(
        () => o.onReplaced?.(`${dead}; started another (pid ${next.child.pid}) for ${runs.size} run(s)`),
        (err: Error) => o.onReplaced?.(`${dead} and could not be replaced: ${err.message}`),
      );
    });
  };
  supervise(current);
  const first = current.ready;
  return {
    ready: first,
    get pid() {
      return current.child.pid ?? 0;
    },
    register: (run) => {
      runs.set(runKey(run), run);
      send(`+${runKey(run)}`);
    },
    unregister: (run) => {
      runs.delete(runKey(run));
      send(`-${runKey(run)}`);
    },
    flush,
    close: async () => {
      closing = true;
      flush();
      const { child, stdin } = current;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.ref();
      if (stdin.writable) stdin.write('q\n');
      stdin.end();
      await exited;
    },
  };
}
