// What the dyno manager watches on running dynos besides their exits (HEROKU.md §2.1, §2.7, §2.8):
// memory quota (R14/R15, with --size), daily cycling (--cycle), and web dynos bound to loopback only.
import type { Clock } from '../core/clock.js';
import type { LogSink } from '../core/types.js';
import { dynoNotice } from '../logs/log-line.js';
import { findLoopbackOnlyBind, formatBindWarning } from './bind-check.js';
import { CycleScheduler, type CycledDyno } from './cycle-scheduler.js';
import type { MemoryLimits } from './dyno-size.js';
import { MemoryMonitor, type MemoryStatus, type SampledDyno } from './memory-monitor.js';
import type { SupervisorEvent } from './supervisor.js';

/** What to watch; part of SupervisorOptions. */
export interface WatchSettings {
  /** --size: memory quota and R15 limit; memory is sampled only when given. */
  memory?: MemoryLimits;
  /** Per-type limits from the formation's sizes (`web=2:standard-2x`); types not listed use `memory`. */
  memoryByType?: Readonly<Record<string, MemoryLimits>>;
  /** Time between memory sampling rounds. Default 2000. */
  memorySampleMs?: number;
  /** --cycle: restart each dyno this long (plus up to 15 % jitter) after it starts; off when absent or 0. */
  cycleMs?: number;
  /** Jitter source for --cycle, uniform in [0, 1). Default Math.random. */
  random?: () => number;
  /** Warn about web dynos bound to loopback only (Linux). Default true. */
  bindCheck?: boolean;
}

/** Options of DynoWatch: the settings, plus the log, the clock and access to the dynos. */
export interface DynoWatchOptions extends WatchSettings {
  bus: LogSink;
  clock: Clock;
  /** The formation's dynos (not those retiring). */
  dynos(): Iterable<SampledDyno & CycledDyno>;
  find(name: string): CycledDyno | undefined;
}

export class DynoWatch {
  private readonly memory?: MemoryMonitor;
  private readonly cycle?: CycleScheduler;
  /** Web dynos already warned about a loopback-only bind. */
  private readonly warned = new Set<string>();

  constructor(private readonly o: DynoWatchOptions) {
    const { clock, bus } = o;
    const byType = o.memoryByType;
    const limitsOf = byType && ((name: string): MemoryLimits | undefined => byType[name.slice(0, name.lastIndexOf('.'))]);
    if (o.memory) this.memory = new MemoryMonitor({ limits: o.memory, limitsOf, sampleMs: o.memorySampleMs, clock, bus, dynos: o.dynos });
    if (o.cycleMs) this.cycle = new CycleScheduler({ cycleMs: o.cycleMs, clock, random: o.random, find: o.find });
  }

  /** Dynos are running: start sampling memory. */
  start(): void {
    this.memory?.start();
  }

  stop(): void {
    this.memory?.stop();
    this.cycle?.stop();
  }

  /** Memory fields of a dyno's status (none without --size). */
  statusOf(name: string): MemoryStatus | Record<string, never> {
    return this.memory?.statusOf(name) ?? {};
  }

  // --cycle timers follow each run; a web dyno that comes up on loopback only is warned about, once.
  observe(e: SupervisorEvent): void {
    if (e.type !== 'state-changed') return;
    if (e.to === 'starting') this.cycle?.arm(e.dyno);
    if (e.to === 'stopping') this.cycle?.disarm(e.dyno);
    if (e.to !== 'up' || e.spec.type !== 'web' || this.o.bindCheck === false || this.warned.has(e.dyno)) return;
    const address = findLoopbackOnlyBind(e.spec.port);
    if (!address) return;
    this.warned.add(e.dyno);
    this.o.bus.publish(dynoNotice(this.o.clock.now(), formatBindWarning(e.dyno, address, e.spec.port), { dyno: e.dyno, stream: 'stderr' }));
  }
}
