// A rolling inactivity window on an injected clock: any activity restarts it (HEROKU.md §3.1, 55 s).
import type { Clock, TimerHandle } from '../core/clock.js';

/** Options for one window. */
export interface IdleWindowOptions {
  clock: Clock;
  /** How long without activity before `onIdle`. */
  windowMs: number;
  onIdle: () => void;
}

/**
 * Calls `onIdle` once when `windowMs` passes without `touch()`. Touching only records the time;
 * the single timer re-arms itself for the remainder when it fires early, so hot paths stay cheap.
 */
export class IdleWindow {
  private last = 0;
  private timer: TimerHandle | undefined;
  private armed = false;

  constructor(private readonly o: IdleWindowOptions) {}

  /** Start (or restart) the window from now. */
  start(): void {
    this.last = this.o.clock.now();
    if (!this.armed) this.arm(this.o.windowMs);
  }

  /** Record activity. */
  touch(): void {
    this.last = this.o.clock.now();
  }

  /** Stop for good (or until the next `start`). */
  stop(): void {
    this.armed = false;
    this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  // Arm the timer; on firing, either re-arm for the remaining time or report idleness.
  private arm(ms: number): void {
    this.armed = true;
    this.timer = this.o.clock.setTimeout(() => {
      const left = this.last + this.o.windowMs - this.o.clock.now();
      if (left > 0) return this.arm(left);
      this.armed = false;
      this.o.onIdle();
    }, ms);
  }
}
