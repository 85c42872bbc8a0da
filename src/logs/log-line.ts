// Builders for the system lines dyno publishes itself (HEROKU.md §4): `heroku[web.1]: …` lifecycle
// lines about one dyno, and `dyno[manager]` / `dyno[web.1]` notices of dyno's own.
import type { LogLine } from '../core/types.js';

/** A `heroku[<dyno>]: <text>` line (state changes, R12/R14/R15, release phase), on stdout. */
export function herokuLine(ts: number, dyno: string, text: string): LogLine {
  return { ts, source: 'heroku', dyno, stream: 'stdout', text };
}

/** Options of dynoNotice. */
export interface DynoNoticeOptions {
  /** The dyno the notice is about (`dyno[web.1]`); default `''` (`dyno[manager]`). */
  dyno?: string;
  /** Default 'stdout'; 'stderr' for warnings and failures. */
  stream?: 'stdout' | 'stderr';
}

/** One of dyno's own lines: `dyno[manager]: <text>`, or `dyno[web.1]: <text>` with o.dyno. */
export function dynoNotice(ts: number, text: string, o: DynoNoticeOptions = {}): LogLine {
  return { ts, source: 'dyno', dyno: o.dyno ?? '', stream: o.stream ?? 'stdout', text };
}
