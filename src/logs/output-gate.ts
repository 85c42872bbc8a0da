// The switch between the stdout Printer's backpressure and the dynos' pipes: while it is paused no
// pipe is read, so a stalled terminal or reader blocks the dynos in write(2) instead of growing memory.
import type { OutputGate as Gate } from '../core/types.js';

export class OutputGate implements Gate {
  private readonly watchers = new Set<(paused: boolean) => void>();
  private state = false;

  get paused(): boolean {
    return this.state;
  }

  watch(fn: (paused: boolean) => void): () => void {
    this.watchers.add(fn);
    return () => void this.watchers.delete(fn);
  }

  /** Pause (true) or resume (false) every watched pipe. */
  set(paused: boolean): void {
    if (paused === this.state) return;
    this.state = paused;
    for (const fn of this.watchers) fn(paused);
  }
}
