// The ONLY writer of log output to stdout (ARCHITECTURE.md §6). Whole lines only, batched:
// every line written during one tick goes out in ONE `out.write` (flushed from setImmediate).
// Backpressure: when `out.write` returns false, lines keep gathering in memory (none is lost or
// reordered) and go out in one write at 'drain'; `onPressure(true|false)` reports the stall so the
// caller may pause the children's pipes. Errors: on the first write error (EPIPE from `| head`, a
// closed socket, a destroyed stream) the printer drops what it holds, writes nothing more and calls
// `onBrokenPipe` once; flush() then resolves at once.
import type { LogLine } from '../core/types.js';
import { createHerokuFormat, createJsonFormat } from './format-line.js';
import { PrettyFormatter } from './pretty-formatter.js';

/** `pretty` (default, for people), `heroku` (Logplex lines) or `json` (one object per line). */
export type LogFormat = 'pretty' | 'heroku' | 'json';

export interface PrinterOptions {
  /** Where lines go: process.stdout in production, any Writable in tests. */
  out: NodeJS.WritableStream;
  format: LogFormat;
  /** From resolveColorLevel(); used by `pretty` only (heroku and json never carry ANSI). */
  colorLevel: 0 | 1 | 2 | 3;
  /** false drops the `HH:MM:SS ` prefix of `pretty`. */
  timestamps: boolean;
  /** Process type names in Procfile order, for colours. */
  types: string[];
  /** Called once, on the first write error (typically EPIPE): the caller stops the formation. */
  onBrokenPipe?: () => void;
  /** Called with true when `out` stops accepting writes, false when it drains. */
  onPressure?: (blocked: boolean) => void;
}

export class Printer {
  private readonly out: NodeJS.WritableStream;
  private readonly pretty: PrettyFormatter | undefined;
  private readonly formatLine: (line: LogLine) => string;
  private readonly onBrokenPipe: (() => void) | undefined;
  private readonly onPressure: ((blocked: boolean) => void) | undefined;
  private pending: string[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private blocked = false;
  private broken = false;
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  constructor(o: PrinterOptions) {
    this.out = o.out;
    this.onBrokenPipe = o.onBrokenPipe;
    this.onPressure = o.onPressure;
    if (o.format === 'pretty') {
      const pretty = new PrettyFormatter({ colorLevel: o.colorLevel, timestamps: o.timestamps, types: o.types });
      this.pretty = pretty;
      this.formatLine = (line) => pretty.format(line);
    } else {
      this.formatLine = o.format === 'json' ? createJsonFormat() : createHerokuFormat();
    }
    this.out.on('error', (err: Error) => this.fail(err));
  }

  /** Pre-pad the pretty name column for a dyno expected to log (e.g. every dyno of the formation). */
  reserveName(name: string): void {
    this.pretty?.reserveName(name);
  }

  /** Queue one line; it is written with the rest of this tick's lines. */
  write(line: LogLine): void {
    if (this.broken) return;
    this.pending.push(this.formatLine(line));
    if (this.scheduled === undefined && !this.blocked) this.scheduled = setImmediate(this.flushNow);
  }

  /** Resolves when every line written so far has been handed to `out` and drained (or `out` broke). */
  flush(): Promise<void> {
    this.flushNow();
    if (this.isSettled()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** True once a write failed; nothing is written after that. */
  get isBroken(): boolean {
    return this.broken;
  }

  // Write everything pending in one call, unless out is stalled (then 'drain' calls us again).
  private readonly flushNow = (): void => {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.broken || this.blocked || this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.inFlight++;
    const ok = this.out.write(chunk, (err?: Error | null) => {
      this.inFlight--;
      if (err) this.fail(err);
      this.settle();
    });
    if (!ok && !this.broken) this.stall();
  };

  // out's buffer is full: wait for 'drain', then write what gathered meanwhile.
  private stall(): void {
    this.blocked = true;
    this.onPressure?.(true);
    this.out.once('drain', () => {
      this.blocked = false;
      this.onPressure?.(false);
      this.flushNow();
      this.settle();
    });
  }

  // The first write error ends all output.
  private fail(_err: Error): void {
    if (this.broken) return;
    this.broken = true;
    this.pending = [];
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.onBrokenPipe?.();
    this.settle();
  }

  private isSettled(): boolean {
    return this.broken || (this.pending.length === 0 && this.inFlight === 0 && !this.blocked);
  }

  // Resolve flush() waiters once nothing is pending, in flight or stalled.
  private settle(): void {
    if (!this.isSettled()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
