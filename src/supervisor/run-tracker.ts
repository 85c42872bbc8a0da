// The dyno manager's view of its runs' processes: one marker per run (DYNO_RUN_ID=<manager pid>.<n>),
// the process source (/proc or `ps`, chosen at the composition root), and one shared poll that tells
// when a run's last process is gone. Only processes that are not our children need polling; the poll
// runs only while some run has exited its root but may still have processes, every `pollMs`.
import { forwardSignal, readProcessTable, runAlive, signalRun, type ProcessSource, type ProcessTable, type RunRef } from './kill-tree.js';

/** Options of RunTracker. */
export interface RunTrackerOptions {
  /** `ps` forces the portable fallback (DYNO_PROC_FALLBACK=ps); default /proc where it exists. */
  source?: ProcessSource;
  /** Interval of the "is the run gone" poll. Default 50 (a stop returns within ~50 ms of its last process). */
  pollMs?: number;
}

interface Waiter {
  run: RunRef;
  /** Called every round while the run lives, with the round's snapshot (SIGTERM for newcomers, SIGKILL sweeps). */
  onRound: (table: ProcessTable) => void;
  resolve(): void;
}

/** The start of every run marker this manager hands out (`<pid>.`): the watchdog holds all of them by it. */
export function runMarkerPrefix(pid = process.pid): string {
  return `${pid}.`;
}

export class RunTracker {
  readonly source: ProcessSource | undefined;
  private next = 0;
  private readonly waiters = new Set<Waiter>();
  /** The next check (an immediate first, so that many runs ending in one tick share one snapshot; then the poll). */
  private pending: NodeJS.Immediate | NodeJS.Timeout | undefined;

  constructor(private readonly o: RunTrackerOptions = {}) {
    this.source = o.source;
  }

  /** A fresh run marker value, unique to this manager: `<pid>.<n>`. */
  newRunId(): string {
    return `${runMarkerPrefix()}${++this.next}`;
  }

  /** One snapshot with run markers. */
  table(): ProcessTable {
    return readProcessTable({ source: this.o.source, markers: true });
  }

  /** Send `signal` once to every process of each run (one snapshot for all). */
  signal(runs: RunRef[], signal: NodeJS.Signals, table = this.table()): number[][] {
    return runs.map((run) => signalRun(run, signal, table));
  }

  /** SIGUSR1/SIGUSR2 to every process of the runs except shells. */
  forward(runs: RunRef[], signal: NodeJS.Signals): void {
    if (runs.length) forwardSignal(runs, signal, this.table());
  }

  /**
   * Resolves once no process of `run` is alive. `onRound` is called every round while it lives, with
   * that round's snapshot (to signal processes that appeared since the last signal).
   */
  whenGone(run: RunRef, onRound: (table: ProcessTable) => void = () => undefined): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.add({ run, onRound, resolve });
      if (this.pending) return;
      this.pending = setImmediate(() => this.check());
    });
  }

  // One snapshot for every waiter; resolve the gone, sweep the others, poll again while any is left.
  // Real timers on purpose: this watches real processes, even under a test's fake clock.
  private check(): void {
    this.pending = undefined;
    if (!this.waiters.size) return;
    const table = this.table();
    for (const waiter of [...this.waiters]) {
      if (!runAlive(waiter.run, table)) {
        this.waiters.delete(waiter);
        waiter.resolve();
        continue;
      }
      waiter.onRound(table);
    }
    if (this.waiters.size) this.pending = setTimeout(() => this.check(), this.o.pollMs ?? 50);
  }
}
