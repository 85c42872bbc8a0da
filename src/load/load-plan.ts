// `dyno load` flags → what to drive: the URL on the router, connections, duration or request count,
// rate, method, headers, body, warm-up. Pure; a bad flag is one USAGE line.
import { DynoError } from '../core/errors.js';
import { parseDuration } from '../cli/parse-duration.js';
import type { LoadPlan } from './load-report.js';

/** The flags as commander gives them. */
export interface LoadFlags {
  connections?: string;
  duration?: string;
  requests?: string;
  rate?: string;
  method: string;
  header?: string[];
  body?: string;
  warmup: string;
}

/** Most connections autocannon opens here (each is a socket at the router and one at a dyno). */
export const MAX_CONNECTIONS = 5000;

function count(value: string, flag: string, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw new DynoError('USAGE', `${flag} expects a whole number from 1 to ${max}, got "${value}"`);
  return n;
}

/** `-H 'Accept: text/html'` → ['accept', 'text/html']. */
export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new DynoError('USAGE', `-H expects "Name: value", got "${text}"`);
  return [name.toLowerCase(), text.slice(colon + 1).trim()];
}

/** The plan and headers for `path` on the router at `routerUrl`. */
export function parseLoadPlan(path: string, flags: LoadFlags, routerUrl: string): { plan: LoadPlan; headers: Record<string, string> } {
  if (!path.startsWith('/')) throw new DynoError('USAGE', `the path must start with "/", got "${path}"`, { hint: 'dyno load drives the running router; give the path only, e.g. /api/items' });
  if (flags.duration !== undefined && flags.requests !== undefined) throw new DynoError('USAGE', '-d and -n exclude each other: load for a duration, or for a number of requests');
  const method = flags.method.toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new DynoError('USAGE', `-m expects an HTTP method such as GET or POST, got "${flags.method}"`);
  const rate = flags.rate === undefined ? undefined : count(flags.rate, '--rate', 100_000);
  // autocannon sends at most one request per connection at a time and opens at most `rate` connections.
  const connections = flags.connections !== undefined ? count(flags.connections, '-c', MAX_CONNECTIONS) : rate !== undefined ? Math.min(rate, MAX_CONNECTIONS) : 10;
  const requests = flags.requests === undefined ? undefined : count(flags.requests, '-n', 10_000_000);
  if (requests !== undefined && requests < connections) throw new DynoError('USAGE', `-n ${requests} is fewer requests than connections (-c ${connections})`);
  const durationMs = requests === undefined ? parseDuration(flags.duration ?? '10s', '-d') : undefined;
  if (durationMs !== undefined && durationMs < 100) throw new DynoError('USAGE', `-d must be at least 100ms, got "${flags.duration}"`);
  const headers = Object.fromEntries((flags.header ?? []).map(parseHeader));
  if (flags.body !== undefined && !headers['content-type']) headers['content-type'] = 'application/octet-stream';
  const plan: LoadPlan = { url: new URL(routerUrl + path).href, method, connections, warmupMs: parseDuration(flags.warmup, '--warmup') };
  if (durationMs !== undefined) plan.durationMs = durationMs;
  if (requests !== undefined) plan.requests = requests;
  if (rate !== undefined) plan.rate = rate;
  return { plan, headers };
}
