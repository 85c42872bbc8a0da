// The ONLY writer of log output to stdout (ARCHITECTURE.md §6). Whole lines only, batched: every line
// written during one tick is formatted straight into one Buffer (an app line's bytes copied as written)
// and goes out in ONE `out.write` (flushed from setImmediate).
// Backpressure: once `out` holds more than its highWaterMark unwritten, the printer is stalled:
// `onPressure(true)` lets the caller stop reading the dynos' pipes, and lines still arriving (dyno's own,
// the router's) gather up to `maxStalledBytes`; past that they are dropped and counted. At 'drain' it
// writes what gathered, then one `Error L10 (output buffer overflow): N messages dropped since <ts>` line
// (Logplex's wording, HEROKU.md §4) if any was dropped, and calls `onPressure(false)`.
// Errors: on the first write error (EPIPE from `| head`, a closed socket, a destroyed stream, a full disk)
// the printer drops what it holds, writes nothing more and calls `onBrokenPipe(err)` once; flush() then
// resolves at once.
import type { LogLine } from '../core/types.js';
import { systemClock } from '../core/clock.js';
import { ByteBatch } from './byte-batch.js';
import { DropCounter } from './drop-counter.js';
import { createHerokuWriter, createJsonFormat } from './format-line.js';
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
  /** false (`--raw`): `pretty` prints only each line's text. */
  prefix?: boolean;
  /** Process type names in Procfile order, for colours. */
  types: string[];
  /** Called once, on the first write error (typically EPIPE): the caller stops the formation. */
  onBrokenPipe?: (err: Error) => void;
  /** Called with true when `out` stops accepting writes, false when it drains. */
  onPressure?: (blocked: boolean) => void;
  /** Remove ANSI escape sequences from the text (heroku format; json always does). The log file sets it. */
  stripAnsi?: boolean;
  /** While stalled, lines beyond this many buffered bytes are dropped (and counted in an L10 line). Default 1 MiB. */
  maxStalledBytes?: number;
  /** A batch holding this many bytes is written after the current chunk's lines, not at the end of the tick. Default 256 KiB. */
  maxBatchBytes?: number;
}

export class Printer {
  private readonly out: NodeJS.WritableStream & { writableLength?: number; writableHighWaterMark?: number };
  private readonly pretty: PrettyFormatter | undefined;
  private readonly writeLine: (batch: ByteBatch, line: LogLine) => void;
  private readonly onBrokenPipe: ((err: Error) => void) | undefined;
  private readonly onPressure: ((blocked: boolean) => void) | undefined;
  private readonly maxStalledBytes: number;
  private readonly maxBatchBytes: number;
  private readonly batch = new ByteBatch();
  private scheduled: NodeJS.Immediate | undefined;
  /** A microtask flush is queued (the batch is full). */
  private eager = false;
  private blocked = false;
  private broken = false;
  private inFlight = 0;
  private readonly drops = new DropCounter();
  private waiters: Array<() => void> = [];

  constructor(o: PrinterOptions) {
    this.out = o.out;
    this.onBrokenPipe = o.onBrokenPipe;
    this.onPressure = o.onPressure;
    this.maxStalledBytes = o.maxStalledBytes ?? 1024 * 1024;
    this.maxBatchBytes = o.maxBatchBytes ?? 256 * 1024;
    if (o.format === 'pretty') {
      const pretty = new PrettyFormatter({ colorLevel: o.colorLevel, timestamps: o.timestamps, types: o.types, prefix: o.prefix });
      this.pretty = pretty;
      this.writeLine = (batch, line) => pretty.writeTo(batch, line);
    } else if (o.format === 'heroku') {
      this.writeLine = createHerokuWriter({ stripAnsi: o.stripAnsi });
    } else {
      const json = createJsonFormat();
      this.writeLine = (batch, line) => batch.putString(json(line));
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
    if (this.blocked && this.batch.length >= this.maxStalledBytes) {
      return this.drops.drop(line);
    }
    this.writeLine(this.batch, line);
    if (this.blocked) return;
    // One read of a pipe can hold 32 K short lines, and one tick many reads (`yes` gave 13 MB): a full
    // batch is written right after the chunk that filled it (a microtask: the chunk's remaining lines are
    // not cut off by the stall), so what `out` buffers before it stalls and we stop reading stays bounded.
    if (this.batch.length >= this.maxBatchBytes && !this.eager) {
      this.eager = true;
      queueMicrotask(this.flushNow);
    }
    this.scheduled ??= setImmediate(this.flushNow);
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

  /** True while `out` is stalled. */
  get isBlocked(): boolean {
    return this.blocked;
  }

  // Write everything pending in one call, unless out is stalled (then 'drain' calls us again).
  private readonly flushNow = (): void => {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.eager = false;
    if (this.broken || this.blocked || this.batch.length === 0) return;
    this.inFlight++;
    const ok = this.out.write(this.batch.take(), (err?: Error | null) => {
      this.inFlight--;
      if (err) this.fail(err);
      this.settle();
    });
    if (!ok && !this.broken && (this.out.writableLength ?? Infinity) >= (this.out.writableHighWaterMark ?? 0)) this.stall();
  };

  // out's buffer is full: wait for 'drain', then write what gathered meanwhile.
  private stall(): void {
    this.blocked = true;
    this.onPressure?.(true);
    this.out.once('drain', () => {
      if (this.broken) return;
      this.blocked = false;
      const overflow = this.drops.take(systemClock.now());
      if (overflow) this.writeLine(this.batch, overflow);
      this.onPressure?.(false);
      this.flushNow();
      this.settle();
    });
  }

  // The first write error ends all output.
  private fail(err: Error): void {
    if (this.broken) return;
    this.broken = true;
    this.batch.clear();
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.onBrokenPipe?.(err);
    this.settle();
  }

  private isSettled(): boolean {
    return this.broken || (this.batch.length === 0 && this.inFlight === 0 && !this.blocked);
  }

  // Resolve flush() waiters once nothing is pending, in flight or stalled.
  private settle(): void {
    if (!this.isSettled()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
