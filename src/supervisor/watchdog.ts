// The watchdog: a tiny process (this same binary, `dyno __watchdog`) that outlives the manager and
// kills every registered dyno process group when its pipe from the manager closes without a goodbye,
// i.e. when the manager was SIGKILLed. It runs in its own session, so Ctrl-C to the manager's terminal
// does not reach it. Protocol on its stdin, one line each:
//   +<pgid>  register    -<pgid>  unregister    g<ms>  grace between SIGTERM and SIGKILL    q  quit quietly
// It writes `ready` on stdout once it listens. On EOF without `q`: SIGTERM every tree, wait until the
// groups are gone or the grace (default 5 s) is over, SIGKILL the rest, exit.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { killTrees, readProcessTable, treeAlive } from './kill-tree.js';

/** The manager's handle on its watchdog. */
export interface Watchdog {
  /** Watch the process group of a detached child (its pid). */
  register(pid: number): void;
  unregister(pid: number): void;
  /** Say goodbye (nothing is killed) and wait for the watchdog to exit. */
  close(): Promise<void>;
}

/** Options of startWatchdog. */
export interface WatchdogOptions {
  /** Command that runs runWatchdog(); default: this binary with `__watchdog`. */
  argv?: string[];
  /** Grace between SIGTERM and SIGKILL when it has to kill. Default 5000. */
  graceMs?: number;
  /** Give up if it has not said `ready` by then. Default 10000. */
  startTimeoutMs?: number;
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

/** Start the watchdog process and wait until it listens. */
export async function startWatchdog(o: WatchdogOptions = {}): Promise<Watchdog> {
  const [file, ...args] = o.argv ?? selfArgv();
  const child = spawn(file!, args, { detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
  const stdin = child.stdin as Socket;
  stdin.on('error', () => undefined); // the watchdog died: registrations are lost, nothing to do
  await awaitReady(child, o.startTimeoutMs ?? 10_000);
  child.stdout!.destroy();
  stdin.write(`g${o.graceMs ?? 5000}\n`);
  // Never keep the manager alive on its own account.
  child.unref();
  stdin.unref();
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const send = (line: string): void => {
    if (stdin.writable) stdin.write(`${line}\n`);
  };
  return {
    register: (pid) => send(`+${pid}`),
    unregister: (pid) => send(`-${pid}`),
    close: async () => {
      child.ref();
      send('q');
      stdin.end();
      await exited;
    },
  };
}

// Apply one protocol line to the watchdog's state.
function applyLine(line: string, state: { groups: Set<number>; graceMs: number; quit: boolean }): void {
  const value = Number(line.slice(1));
  if (line === 'q') state.quit = true;
  else if (line[0] === 'g' && value >= 0) state.graceMs = value;
  else if (!Number.isInteger(value) || value <= 1) return;
  else if (line[0] === '+') state.groups.add(value);
  else if (line[0] === '-') state.groups.delete(value);
}

// SIGTERM every tree, wait (polling: they are not our children) until gone or grace over, SIGKILL the rest.
async function reap(groups: number[], graceMs: number): Promise<void> {
  if (!groups.length) return;
  const known = killTrees(groups, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  const anyAlive = (): boolean => {
    const table = readProcessTable();
    return groups.some((g) => treeAlive(g, known, table));
  };
  while (Date.now() < deadline && anyAlive()) await delay(25);
  if (anyAlive()) killTrees(groups, 'SIGKILL', known);
}

/** The watchdog's main (`dyno __watchdog`). Resolves when it has done its job; the process then exits. */
export async function runWatchdog(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGHUP', 'SIGPIPE'] as const) process.on(signal, () => undefined);
  const state = { groups: new Set<number>(), graceMs: 5000, quit: false };
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
  if (!state.quit) await reap([...state.groups], state.graceMs);
  process.stdin.destroy();
}
