// Which log lines a `dyno logs` query wants (HEROKU.md §4): by dyno name, by process type, by source.
import type { LogLine } from '../core/types.js';
import type { LogQuery } from './protocol.js';

/**
 * The filter for a query. `dyno` and `type` match the line's dyno (`web.1`; type `web` matches
 * `web.1`, `web.2`; `router` is a dyno of its own); `source: 'app'` keeps app output,
 * `source: 'heroku'` keeps the platform's lines (dyno manager, router, and dyno's own notices).
 */
export function logFilter(q: Pick<LogQuery, 'dyno' | 'type' | 'source'>): (line: LogLine) => boolean {
  return (line) => {
    if (q.dyno !== undefined && line.dyno !== q.dyno) return false;
    if (q.type !== undefined && line.dyno !== q.type && !line.dyno.startsWith(`${q.type}.`)) return false;
    if (q.source === 'app' && line.source !== 'app') return false;
    if (q.source === 'heroku' && line.source === 'app') return false;
    return true;
  };
}
