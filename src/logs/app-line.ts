// A line of app output as it left the pipe: its bytes stay a Buffer (a view into the chunk read) all
// the way to stdout; the text is decoded only when a consumer asks (JSON, the dashboard, filters).
import type { LogLine } from '../core/types.js';

/** One line a dyno wrote, `bytes` without its newline. */
export class AppLine implements LogLine {
  readonly source = 'app' as const;
  private decoded: string | undefined;

  constructor(
    readonly ts: number,
    readonly dyno: string,
    readonly stream: 'stdout' | 'stderr',
    readonly bytes: Buffer,
  ) {}

  /** UTF-8 text of the line (invalid bytes become U+FFFD), decoded once. */
  get text(): string {
    return (this.decoded ??= this.bytes.toString('utf8'));
  }

  /** The wire and dashboard shape: a plain line with text, no bytes. */
  toJSON(): { ts: number; source: 'app'; dyno: string; stream: 'stdout' | 'stderr'; text: string } {
    return { ts: this.ts, source: this.source, dyno: this.dyno, stream: this.stream, text: this.text };
  }
}
