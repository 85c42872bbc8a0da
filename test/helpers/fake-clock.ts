// A clock whose timers fire only on advance(); `now` starts at 2012-08-11T12:42:00Z (ARCHITECTURE §7).
import type { Clock, TimerHandle } from '../../src/core/clock.js';

export class FakeClock implements Clock {
  private current = Date.parse('2012-08-11T12:42:00Z');
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + ms, fn });
    return id as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    this.timers.delete(handle as unknown as number);
  }

  /** Delays (from now) of the pending timers, sorted. */
  dueIn(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.current).sort((a, b) => a - b);
  }

  /** Move time forward, firing due timers in order (timers set while advancing fire too when due). */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.current = Math.max(this.current, due[1].at);
      due[1].fn();
    }
    this.current = end;
  }
}
