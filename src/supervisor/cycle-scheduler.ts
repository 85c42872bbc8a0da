// `--cycle <duration>`: Heroku's daily dyno cycling, compressed (HEROKU.md §2.7). Every run of a dyno
// is restarted `cycleMs` plus up to 15 % jitter after it starts (24 h + up to 216 min on Heroku), with
// the line `Cycling`; any restart re-arms the timer, as manual restarts reset Heroku's clock.
import type { Clock, TimerHandle } from '../core/clock.js';

/** Heroku's jitter: up to 216 minutes on 24 hours. */
export const CYCLE_JITTER = 216 / 1440;

/** A dyno as the scheduler sees it. */
export interface CycledDyno {
  /** Only `up` dynos are cycled. */
  readonly state: string;
  /** Rolling restart announced with `line` instead of `Restarting`. */
  restart(line: string): Promise<void>;
}

/** Options of CycleScheduler. */
export interface CycleOptions {
  /** The period (Heroku: 24 h). */
  cycleMs: number;
  /** Runs the timers (a fake one in tests). */
  clock: Clock;
  /** Uniform in [0, 1): the jitter source. Default Math.random. */
  random?: () => number;
  /** The dyno of that name, if it still exists. */
  find(name: string): CycledDyno | undefined;
}

/** Delay before cycling a run: `cycleMs` plus `random` × 15 %. */
export function nextCycleDelay(cycleMs: number, random: number): number {
  return Math.round(cycleMs * (1 + CYCLE_JITTER * random));
}

export class CycleScheduler {
  private readonly timers = new Map<string, TimerHandle>();

  constructor(private readonly o: CycleOptions) {}

  /** A run of `name` started: cycle it after the delay (replacing an earlier timer). */
  arm(name: string): void {
    this.disarm(name);
    const delay = nextCycleDelay(this.o.cycleMs, (this.o.random ?? Math.random)());
    this.timers.set(name, this.o.clock.setTimeout(() => this.fire(name), delay));
  }

  /** The dyno is stopping: no more cycling. */
  disarm(name: string): void {
    this.o.clock.clearTimeout(this.timers.get(name));
    this.timers.delete(name);
  }

  stop(): void {
    for (const name of [...this.timers.keys()]) this.disarm(name);
  }

  // Cycle an up dyno; one still booting gets another period; a crashed one re-arms when it restarts.
  private fire(name: string): void {
    this.timers.delete(name);
    const dyno = this.o.find(name);
    if (dyno?.state === 'up') void dyno.restart('Cycling');
    else if (dyno?.state === 'starting') this.arm(name);
  }
}
