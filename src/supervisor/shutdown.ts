// Stopping children — the four-step story (hivemind's, with Heroku's words, HEROKU.md §2.3/§2.5):
//   1. SIGTERM every run at once, exactly one per process (group once, members outside it once each).
//   2. Wait until every run's last process is gone, the grace period is over, or we are told to hurry.
//   3. SIGKILL whatever is still alive (and sweep again until it is gone); R12 lines for each dyno.
//   4. Wait until every child has ended (output drained): stopping returns only when everything is gone.
import { systemClock, type Clock } from '../core/clock.js';
import type { LogSink } from '../core/types.js';
import { herokuLine } from '../logs/log-line.js';
import type { Child } from './child.js';

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
  const tracker = live[0]!.child.tracker;
  const table = tracker.table();
  for (const t of live) t.child.signal('SIGTERM', { table });
  const finished = new AbortController();
  const graceOver = sleep(o.graceMs, clock, [finished.signal, ...(o.hurry ? [o.hurry] : [])]);
  await Promise.race([Promise.all(live.map((t) => t.child.gone)), graceOver]);
  finished.abort();
  const left = live.filter((t) => !t.child.hasGone);
  kill(left, o);
  await Promise.all(live.map((t) => t.child.ended));
  return { killed: [...new Set(left.map((t) => t.dyno))] };
}

// Step 3: R12 lines (unless we were told to hurry) and SIGKILL sweeps until each run is gone.
function kill(left: StopTarget[], o: ShutdownOptions): void {
  if (!left.length) return;
  const clock = o.clock ?? systemClock;
  for (const dyno of new Set(left.map((t) => t.dyno))) {
    const line = (text: string): void => o.bus.publish(herokuLine(clock.now(), dyno, text));
    if (!o.hurry?.aborted) line(`Error R12 (Exit timeout) -> At least one process failed to exit within ${seconds(o.graceMs)} seconds of SIGTERM`);
    line('Stopping remaining processes with SIGKILL');
  }
  for (const t of left) t.child.sweep('SIGKILL');
}
