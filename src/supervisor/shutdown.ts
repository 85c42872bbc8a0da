// Stopping children — the four-step story (hivemind's, with Heroku's words, HEROKU.md §2.3/§2.5):
//   1. SIGTERM every tree at once: snapshot its descendants, signal its group, signal each pid.
//   2. Wait until every child has ended, the grace period is over, or we are told to hurry.
//   3. SIGKILL whatever is still alive; R12 lines for each dyno that needed it.
//   4. Wait until every child has ended: stopping returns only when everything we started is gone.
import { systemClock, type Clock } from '../core/clock.js';
import type { LogSink } from '../core/types.js';
import { herokuLine } from '../logs/log-line.js';
import type { Child } from './child.js';
import { readProcessTable, treeAlive, type ProcessTable } from './kill-tree.js';

/** One child to stop and the dyno whose lines it logs under. */
export interface StopTarget {
  dyno: string;
  child: Child;
}

/** Options of stopChildren. */
export interface ShutdownOptions {
  /** Time between SIGTERM and SIGKILL (`-t/--timeout`). */
  graceMs: number;
  bus: LogSink;
  clock?: Clock;
  /** Aborted on a second Ctrl-C: skip what is left of the grace period and SIGKILL at once. */
  hurry?: AbortSignal;
}

/** What a stop did. */
export interface ShutdownResult {
  /** Dynos that still had processes when the grace period ended (or was cut short). */
  killed: string[];
}

// Resolve after `ms`, or as soon as any signal aborts; the timer is cleared either way.
function sleep(ms: number, clock: Clock, signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clock.clearTimeout(timer);
      for (const s of signals) s.removeEventListener('abort', done);
      resolve();
    };
    const timer = clock.setTimeout(done, ms);
    for (const s of signals) {
      if (s.aborted) return done();
      s.addEventListener('abort', done);
    }
  });
}

// Format seconds as Heroku does ("30"), keeping fractions for tiny test graces ("0.2").
function seconds(ms: number): string {
  return String(Math.round(ms) / 1000);
}

/** Stop `targets` gracefully; see the four steps above. */
export async function stopChildren(targets: StopTarget[], o: ShutdownOptions): Promise<ShutdownResult> {
  const live = targets.filter((t) => t.child.pid && !t.child.hasEnded);
  if (!live.length) return { killed: [] };
  const clock = o.clock ?? systemClock;
  const table = readProcessTable();
  const known = new Map(live.map((t) => [t, t.child.signal('SIGTERM', { table })] as const));
  const finished = new AbortController();
  const graceOver = sleep(o.graceMs, clock, [finished.signal, ...(o.hurry ? [o.hurry] : [])]);
  const allEnded = Promise.all(live.map((t) => t.child.ended));
  await Promise.race([allEnded, graceOver]);
  let { left, table: now } = stillAlive(live, known);
  if (left.length) {
    await graceOver;
    ({ left, table: now } = stillAlive(live, known));
  }
  finished.abort();
  kill(left, known, now, o);
  await allEnded;
  return { killed: [...new Set(left.map((t) => t.dyno))] };
}

// Targets with a live process left in their group or snapshot, and the snapshot that says so.
function stillAlive(targets: StopTarget[], known: Map<StopTarget, number[]>): { left: StopTarget[]; table: ProcessTable } {
  const table = readProcessTable();
  return { left: targets.filter((t) => treeAlive(t.child.pid, known.get(t) ?? [], table)), table };
}

// Step 3: R12 lines (unless we were told to hurry) and SIGKILL, with the snapshot stillAlive just took.
function kill(left: StopTarget[], known: Map<StopTarget, number[]>, table: ProcessTable, o: ShutdownOptions): void {
  if (!left.length) return;
  const clock = o.clock ?? systemClock;
  for (const dyno of new Set(left.map((t) => t.dyno))) {
    const line = (text: string): void => o.bus.publish(herokuLine(clock.now(), dyno, text));
    if (!o.hurry?.aborted) line(`Error R12 (Exit timeout) -> At least one process failed to exit within ${seconds(o.graceMs)} seconds of SIGTERM`);
    line('Stopping remaining processes with SIGKILL');
  }
  for (const t of left) t.child.signal('SIGKILL', { table, known: known.get(t) });
}
