// The watchdog process (`dyno __watchdog`, started by watchdog.ts, whose header has the protocol): it
// reads registrations from its stdin until EOF; without a goodbye (`q`), the manager is gone (SIGKILLed),
// and every process of every run it holds gets one SIGTERM, then SIGKILL after the grace.
import { setTimeout as delay } from 'node:timers/promises';
import { descendantsOf, readProcessTable, runAlive, send, signalRun, type ProcessSource, type ProcessTable, type RunRef } from './kill-tree.js';

/** The watchdog's state, built from protocol lines. */
interface WatchdogState {
  runs: Map<string, RunRef>;
  graceMs: number;
  source: ProcessSource | undefined;
  /** Marker prefixes: a process whose DYNO_RUN_ID starts with one belongs to a run (registered or not yet). */
  prefixes: Set<string>;
  quit: boolean;
}

// Apply one protocol line to the watchdog's state.
function applyLine(line: string, state: WatchdogState): void {
  const kind = line[0];
  if (line === 'q') state.quit = true;
  else if (kind === 'g' && Number(line.slice(1)) >= 0) state.graceMs = Number(line.slice(1));
  else if (kind === 's') state.source = line.slice(1) === 'ps' ? 'ps' : 'proc';
  else if (kind === 'm' && line.length > 1) state.prefixes.add(line.slice(1));
  else if (kind === '+' || kind === '-') {
    const [root, pgid, runId] = line.slice(1).split(' ').map((f, i) => (i < 2 ? Number(f) : f)) as [number, number, string | undefined];
    if (!runId || !Number.isInteger(root) || root <= 1 || !Number.isInteger(pgid) || pgid < 0 || pgid === 1) return;
    if (kind === '+') state.runs.set(line.slice(1), { root, pgid, runId });
    else state.runs.delete(line.slice(1));
  }
}

/** Live processes whose marker starts with one of `prefixes`, and their descendants (never ourselves). */
export function prefixMembers(prefixes: Iterable<string>, table: ProcessTable): number[] {
  const list = [...prefixes];
  const out = new Set<number>();
  if (!list.length) return [];
  for (const [pid, id] of table.runIds) if (list.some((p) => id.startsWith(p))) for (const q of [pid, ...descendantsOf(pid, table)]) out.add(q);
  out.delete(process.pid);
  return [...out];
}

/**
 * `signal` once to every process of every run (signalRun), then once to each process found only by a
 * marker prefix (a run whose registration never arrived), unless its group was signalled already.
 */
export function signalEverything(runs: RunRef[], prefixes: Iterable<string>, signal: NodeJS.Signals, table: ProcessTable): void {
  const done = new Set<number>();
  const groups = new Set<number>();
  for (const run of runs) {
    for (const pid of signalRun(run, signal, table)) done.add(pid);
    if (run.pgid > 1 && table.groups.has(run.pgid)) groups.add(run.pgid);
  }
  if (!table.exact) return;
  for (const pid of prefixMembers(prefixes, table)) {
    if (done.has(pid) || groups.has(table.pgids.get(pid) ?? 0)) continue;
    done.add(pid);
    send(pid, signal);
  }
}

// SIGTERM once to every process of every run, wait (polling: they are not our children) until gone or
// grace over, then SIGKILL sweeps until nothing is left (bounded: a second).
async function reap(state: WatchdogState): Promise<void> {
  const runs = [...state.runs.values()];
  const { prefixes, source } = state;
  const table = (): ProcessTable => readProcessTable({ source, markers: true });
  const anyAlive = (now = table()): boolean => runs.some((run) => runAlive(run, now)) || prefixMembers(prefixes, now).length > 0;
  const first = table();
  if (!anyAlive(first)) return;
  signalEverything(runs, prefixes, 'SIGTERM', first);
  const deadline = Date.now() + state.graceMs;
  while (Date.now() < deadline && anyAlive()) await delay(25);
  for (let round = 0; round < 40; round++) {
    const now = table();
    if (!anyAlive(now)) return;
    signalEverything(runs, prefixes, 'SIGKILL', now);
    await delay(25);
  }
}

/** The watchdog's main (`dyno __watchdog`). Resolves when it has done its job; the process then exits. */
export async function runWatchdog(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGHUP', 'SIGPIPE'] as const) process.on(signal, () => undefined);
  process.stdout.on('error', () => undefined); // EPIPE: the manager died before reading `ready`; we still have our job
  const state: WatchdogState = { runs: new Map(), graceMs: 5000, source: undefined, prefixes: new Set(), quit: false };
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
  if (!state.quit) await reap(state);
  process.stdin.destroy();
}
