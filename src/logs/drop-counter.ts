// Counts the lines a subscriber that fell behind had to drop (a stalled stdout, a slow dashboard page or
// `dyno logs -f` client, a log file on a slow disk), and turns the count into Logplex's one line:
// `Error L10 (output buffer overflow): N messages dropped since <ts>` (HEROKU.md §4).
import type { LogLine } from '../core/types.js';
import { createTimestampFormat } from './format-line.js';
import { dynoNotice } from './log-line.js';

/** The L10 line: how many lines were dropped, and since when. */
export function overflowLine(ts: number, dropped: number, since: number): LogLine {
  const when = createTimestampFormat()(since);
  return dynoNotice(ts, `Error L10 (output buffer overflow): ${dropped} messages dropped since ${when}`, { stream: 'stderr' });
}

export class DropCounter {
  private dropped = 0;
  private since = 0;

  /** Count one line that could not be delivered. */
  drop(line: Pick<LogLine, 'ts'>): void {
    if (this.dropped++ === 0) this.since = line.ts;
  }

  /** True when lines were dropped since the last take(). */
  get any(): boolean {
    return this.dropped > 0;
  }

  /** The L10 line for what was dropped (then the count starts again), or undefined if nothing was. */
  take(now: number): LogLine | undefined {
    if (this.dropped === 0) return undefined;
    const line = overflowLine(now, this.dropped, this.since);
    this.dropped = 0;
    return line;
  }
}
