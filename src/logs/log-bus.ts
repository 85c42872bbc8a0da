// Fan-out of log lines to every subscriber (printer, log file, `logs -f` clients), plus a bounded ring
// buffer of the most recent lines for `dyno logs` (Heroku keeps the last 1500: HEROKU.md §4). Its gate
// is the backpressure switch every dyno's pipes follow (paused while stdout is stalled).
import type { LogLine, LogSink } from '../core/types.js';
import { OutputGate } from './output-gate.js';

/** Heroku's log history length. */
export const DEFAULT_LOG_HISTORY = 1500;

export interface LogBusOptions {
  /** How many recent lines `recent()` can return; default 1500, 0 keeps none. */
  capacity?: number;
}

export class LogBus implements LogSink {
  /** Paused while the stdout Printer is stalled: the children's pipes are not read meanwhile. */
  readonly gate = new OutputGate();
  private readonly capacity: number;
  private readonly ring: Array<LogLine | undefined>;
  private readonly sinks = new Set<(line: LogLine) => void>();
  /** Slot the next line goes into. */
  private next = 0;
  private size = 0;

  constructor(o: LogBusOptions = {}) {
    const capacity = o.capacity ?? DEFAULT_LOG_HISTORY;
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError(`LogBus capacity must be an integer >= 0, got ${capacity}`);
    this.capacity = capacity;
    this.ring = new Array<LogLine | undefined>(capacity);
  }

  /** Remember the line and hand it to every subscriber, in subscription order. */
  publish(line: LogLine): void {
    if (this.capacity > 0) {
      this.ring[this.next] = line;
      this.next = (this.next + 1) % this.capacity;
      if (this.size < this.capacity) this.size++;
    }
    for (const sink of this.sinks) sink(line);
  }

  /** Receive every line published from now on; returns the unsubscribe function. */
  subscribe(sink: (line: LogLine) => void): () => void {
    const entry = (line: LogLine): void => sink(line);
    this.sinks.add(entry);
    return () => {
      this.sinks.delete(entry);
    };
  }

  /** The last `n` remembered lines that pass `filter`, oldest first (default: all of them). */
  recent(n: number = this.capacity, filter?: (l: LogLine) => boolean): LogLine[] {
    const out: LogLine[] = [];
    for (let i = 1; i <= this.size && out.length < n; i++) {
      const line = this.ring[(this.next - i + this.capacity) % this.capacity]!;
      if (!filter || filter(line)) out.push(line);
    }
    return out.reverse();
  }
}
