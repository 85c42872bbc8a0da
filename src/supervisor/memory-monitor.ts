// The dyno manager's memory sampling (HEROKU.md §2.8), only with --size: every `sampleMs`, one read of
// the process table for all dynos; each dyno's process-tree RSS → R14 lines, or R15 + SIGKILL (a crash,
// so the restart policy applies). RSS only: Heroku also counts swap and page cache.
import type { Clock, TimerHandle } from '../core/clock.js';
import type { LogSink } from '../core/types.js';
import { herokuLine } from '../logs/log-line.js';
import type { Child } from './child.js';
import type { MemoryLimits } from './dyno-size.js';
import { descendantsOf, readProcessTable, type ProcessTable } from './kill-tree.js';
import { formatMemoryLines, nextMemoryVerdict } from './memory-verdict.js';

/** What the monitor needs to know of a dyno. */
export interface SampledDyno {
  /** `web.1`: the heroku[…] source of its memory lines. */
  readonly name: string;
  /** The current run, if any. */
  readonly child: Child | null;
}

/** Options of MemoryMonitor. */
export interface MemoryMonitorOptions {
  /** Quota and R15 limit of every dyno. */
  limits: MemoryLimits;
  /** Limits of one dyno's type when they differ (`web=2:standard-2x`); default `limits`. */
  limitsOf?: (dyno: string) => MemoryLimits | undefined;
  /** Time between two sampling rounds. Default 2000. */
  sampleMs?: number;
  clock: Clock;
  bus: LogSink;
  /** The dynos to sample, asked again every round. */
  dynos(): Iterable<SampledDyno>;
  /** One process-table read per round (tests may fake it). */
  readTable?: () => ProcessTable;
}

/** Memory of one run of a dyno. */
interface RunMemory {
  child: Child;
  rssMb: number;
  lastR14At: number | null;
  killed: boolean;
}

/** Per-dyno memory as `dyno ps` shows it. */
export interface MemoryStatus {
  /** Process-tree RSS of the current run at the last sample, in MB; absent before the first sample. */
  rssMb?: number;
  /** The quota R14 is measured against. */
  memoryQuotaMb: number;
}

/** Sum of the RSS of `pid` and its descendants, in MB. */
export function treeRssMb(pid: number, table: ProcessTable): number {
  let kb = 0;
  for (const p of [pid, ...descendantsOf(pid, table)]) kb += table.rssKb.get(p) ?? 0;
  return kb / 1024;
}

export class MemoryMonitor {
  private readonly runs = new Map<string, RunMemory>();
  private timer: TimerHandle | undefined;
  private running = false;

  constructor(private readonly o: MemoryMonitorOptions) {}

  /** Sample every `sampleMs` until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Memory of a dyno's current run, as of the last round. */
  statusOf(name: string): MemoryStatus {
    const run = this.runs.get(name);
    const rss = run && !run.child.exit ? { rssMb: Math.round(run.rssMb) } : {};
    return { ...rss, memoryQuotaMb: this.limitsOf(name).quotaMb };
  }

  /** One sampling round: one process-table read, then a verdict per dyno. */
  sample(): void {
    const table = (this.o.readTable ?? readProcessTable)();
    const seen = new Set<string>();
    for (const dyno of this.o.dynos()) {
      const child = dyno.child;
      if (!child?.pid || child.exit) continue;
      seen.add(dyno.name);
      let run = this.runs.get(dyno.name);
      if (run?.child !== child) this.runs.set(dyno.name, (run = { child, rssMb: 0, lastR14At: null, killed: false }));
      run.rssMb = treeRssMb(child.pid, table);
      this.judge(dyno.name, run, table);
    }
    for (const name of this.runs.keys()) if (!seen.has(name)) this.runs.delete(name);
  }

  // Log what the sample means; R15 SIGKILLs the run (once): the dyno sees an unasked exit, a crash.
  private judge(name: string, run: RunMemory, table: ProcessTable): void {
    if (run.killed) return;
    const now = this.o.clock.now();
    const limits = this.limitsOf(name);
    const verdict = nextMemoryVerdict({ rssMb: run.rssMb, limits, now, lastR14At: run.lastR14At });
    for (const text of formatMemoryLines(verdict, run.rssMb, limits)) {
      this.o.bus.publish(herokuLine(now, name, text));
    }
    if (verdict === 'r14') run.lastR14At = now;
    if (verdict === 'r15') {
      run.killed = true;
      run.child.signal('SIGKILL', { table });
    }
  }

  private limitsOf(name: string): MemoryLimits {
    return this.o.limitsOf?.(name) ?? this.o.limits;
  }

  private schedule(): void {
    this.timer = this.o.clock.setTimeout(() => {
      if (!this.running) return;
      this.sample();
      this.schedule();
    }, this.o.sampleMs ?? 2000);
  }
}
