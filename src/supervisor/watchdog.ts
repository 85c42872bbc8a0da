// The watchdog: a tiny process (this same binary, `dyno __watchdog`) that outlives the manager and
// stops every registered run when its pipe from the manager closes without a goodbye, i.e. when the
// manager was SIGKILLed. It runs in its own session, so Ctrl-C to the manager's terminal does not
// reach it. The manager supervises it: if the watchdog dies, another is started and handed every live
// run (one line is logged). Protocol on its stdin, one line each:
//   +<root> <pgid> <run id>  register   -<root> <pgid> <run id>  unregister   g<ms>  grace   s<source>  proc|ps   q  quit quietly
// (pgid 0: the run has no group of its own, e.g. `dyno run` in the terminal's group). It writes
// `ready` on stdout once it listens. On EOF without `q`: SIGTERM once to every process of every run
// (group, descendants, marker), wait until they are gone or the grace (default 5 s) is over, SIGKILL the rest.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { readProcessTable, runAlive, signalRun, type ProcessSource, type RunRef } from './kill-tree.js';

/** The manager's handle on its watchdog. */
export interface Watchdog {
  /** Watch a run (its process group, root and marker). */
  register(run: RunRef): void;
  unregister(run: RunRef): void;
  /** Say goodbye (nothing is killed) and wait for the watchdog to exit. */
  close(): Promise<void>;
  /** Pid of the current watchdog process (tests kill it). */
  readonly pid?: number;
}

/** Options of startWatchdog. */
export interface WatchdogOptions {
  /** Command that runs runWatchdog(); default: this binary with `__watchdog`. */
  argv?: string[];
  /** Grace between SIGTERM and SIGKILL when it has to kill. Default 5000. */
  graceMs?: number;
  /** Give up if it has not said `ready` by then. Default 10000. */
  startTimeoutMs?: number;
  /** Process table source the watchdog uses (DYNO_PROC_FALLBACK=ps). */
  source?: ProcessSource;
  /** Told once each time a dead watchdog was replaced (or could not be). */
  onReplaced?(text: string): void;
}

// How to run ourselves: SEA binary → [binary, '__watchdog'], bundle → [node, bundle, '__watchdog'].
function selfArgv(): string[] {
  const sea = process.getBuiltinModule('node:sea') as { isSea(): boolean } | undefined;
  if (sea?.isSea()) return [process.execPath, '__watchdog'];
  return [process.execPath, process.argv[1] ?? '', '__watchdog'];
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

// Start one watchdog process, wait until it listens, hand it the settings and `runs`.
async function launch(o: WatchdogOptions, runs: Iterable<RunRef>): Promise<{ child: ChildProcess; stdin: Socket }> {
  const [file, ...args] = o.argv ?? selfArgv();
  const child = spawn(file!, args, { detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
  const stdin = child.stdin as Socket;
  stdin.on('error', () => undefined); // the watchdog died: the manager replaces it
  await awaitReady(child, o.startTimeoutMs ?? 10_000);
  child.stdout!.destroy();
  const lines = [`g${o.graceMs ?? 5000}`, ...(o.source ? [`s${o.source}`] : []), ...[...runs].map((run) => `+${runKey(run)}`)];
  stdin.write(`${lines.join('\n')}\n`);
  // Never keep the manager alive on its own account.
  child.unref();
  stdin.unref();
  return { child, stdin };
}

/** Start the watchdog process and wait until it listens; a watchdog that dies is replaced. */
export async function startWatchdog(o: WatchdogOptions = {}): Promise<Watchdog> {
  const runs = new Map<string, RunRef>();
  let current = await launch(o, []);
  let closing = false;
  let replacing: Promise<void> | null = null;
  const send = (line: string): void => {
    if (!replacing && current.stdin.writable) current.stdin.write(`${line}\n`);
  };
  // The watchdog died while we live: start another and hand it every live run (registrations made
  // meanwhile are kept in `runs` and handed over too).
  const supervise = (child: ChildProcess): void => {
    child.once('exit', (code, signal) => {
      if (closing || child !== current.child) return;
      replacing = launch(o, runs.values()).then(
        (next) => {
          current = next;
          replacing = null;
          supervise(next.child);
          o.onReplaced?.(`watchdog (pid ${child.pid}) died (${signal ?? `exit ${code}`}); started another (pid ${next.child.pid}) for ${runs.size} run(s)`);
        },
        (err: Error) => {
          replacing = null;
          o.onReplaced?.(`watchdog (pid ${child.pid}) died and could not be replaced: ${err.message}`);
        },
      );
    });
  };
  supervise(current.child);
  return {
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
    close: async () => {
      closing = true;
      await replacing;
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

/** The watchdog's state, built from protocol lines. */
interface WatchdogState {
  runs: Map<string, RunRef>;
  graceMs: number;
  source: ProcessSource | undefined;
  quit: boolean;
}

// Apply one protocol line to the watchdog's state.
function applyLine(line: string, state: WatchdogState): void {
  const kind = line[0];
  if (line === 'q') state.quit = true;
  else if (kind === 'g' && Number(line.slice(1)) >= 0) state.graceMs = Number(line.slice(1));
  else if (kind === 's') state.source = line.slice(1) === 'ps' ? 'ps' : 'proc';
  else if (kind === '+' || kind === '-') {
    const [root, pgid, runId] = line.slice(1).split(' ').map((f, i) => (i < 2 ? Number(f) : f)) as [number, number, string | undefined];
    if (!runId || !Number.isInteger(root) || root <= 1 || !Number.isInteger(pgid) || pgid < 0 || pgid === 1) return;
    if (kind === '+') state.runs.set(line.slice(1), { root, pgid, runId });
    else state.runs.delete(line.slice(1));
  }
}

// SIGTERM once to every process of every run, wait (polling: they are not our children) until gone or
// grace over, then SIGKILL sweeps until nothing is left (bounded: a second).
async function reap(runs: RunRef[], graceMs: number, source: ProcessSource | undefined): Promise<void> {
  if (!runs.length) return;
  const table = (): ReturnType<typeof readProcessTable> => readProcessTable({ source, markers: true });
  const first = table();
  for (const run of runs) signalRun(run, 'SIGTERM', first);
  const anyAlive = (): boolean => {
    const now = table();
    return runs.some((run) => runAlive(run, now));
  };
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && anyAlive()) await delay(25);
  for (let round = 0; round < 40 && anyAlive(); round++) {
    const now = table();
    for (const run of runs) signalRun(run, 'SIGKILL', now);
    await delay(25);
  }
}

/** The watchdog's main (`dyno __watchdog`). Resolves when it has done its job; the process then exits. */
export async function runWatchdog(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGHUP', 'SIGPIPE'] as const) process.on(signal, () => undefined);
  const state: WatchdogState = { runs: new Map(), graceMs: 5000, source: undefined, quit: false };
  let pending = '';
  process.stdin.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString('latin1')).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) applyLine(line.trim(), state);
  });
  const ended = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('error', () => resolve());
  });
  process.stdout.write('ready\n');
  await ended;
  if (!state.quit) await reap([...state.runs.values()], state.graceMs, state.source);
  process.stdin.destroy();
}
