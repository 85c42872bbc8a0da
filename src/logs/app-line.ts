// A line of app output as it left the pipe: its bytes stay in the chunk read (the line is bytes
// [start, end) of it) all the way to stdout, so no Buffer view is made per line on the hot path (the
// printers copy the range); `bytes` and the text are made only when a consumer asks (JSON, the
// dashboard, filters, the log file).
import type { LogLine } from '../core/types.js';
import type { ByteBatch } from './byte-batch.js';

/** One line a dyno wrote, without its newline: bytes [start, end) of `chunk`. */
export class AppLine implements LogLine {
  readonly source = 'app' as const;
  private decoded: string | undefined;

  constructor(
    readonly ts: number,
    readonly dyno: string,
    readonly stream: 'stdout' | 'stderr',
    readonly chunk: Buffer,
    readonly start = 0,
    readonly end = chunk.length,
  ) {}

  /** The line's bytes, a view into the chunk (made on each call). */
  get bytes(): Buffer {
    return this.start === 0 && this.end === this.chunk.length ? this.chunk : this.chunk.subarray(this.start, this.end);
  }

  /** UTF-8 text of the line (invalid bytes become U+FFFD), decoded once. */
  get text(): string {
    return (this.decoded ??= this.chunk.toString('utf8', this.start, this.end));
  }

  /** The wire and dashboard shape: a plain line with text, no bytes. */
  toJSON(): { ts: number; source: 'app'; dyno: string; stream: 'stdout' | 'stderr'; text: string } {
    return { ts: this.ts, source: this.source, dyno: this.dyno, stream: this.stream, text: this.text };
  }
}

/** Copy a line's own bytes, as written, into `batch` (an app line's range of its chunk: no view made); false for a line that has only text. */
export function putLineBytes(batch: ByteBatch, line: LogLine): boolean {
  if (line instanceof AppLine) batch.putRange(line.chunk, line.start, line.end);
  else if (line.bytes) batch.put(line.bytes);
  else return false;
  return true;
}
