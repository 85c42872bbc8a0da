// Pure routing decisions: where a request can go given the web dynos' states (HEROKU.md §3.2, §3.6).
import type { Backend } from '../core/types.js';

/**
 * What the router should do with a request now:
 * - `route`: some dyno is up; pick one with `pickBackend`;
 * - `wait`: none up but some starting or restarting (wait for one, else H20);
 * - `H10`: the web dynos crashed; `H14`: no web dyno at all.
 */
export type Routing = 'route' | 'wait' | 'H10' | 'H14';

// Decide from the backends' states alone; up beats starting beats crashed beats nothing.
export function routeFor(backends: readonly Backend[]): Routing {
  if (backends.some((b) => b.state === 'up')) return 'route';
  if (backends.some((b) => b.state === 'starting' || b.state === 'restarting')) return 'wait';
  if (backends.some((b) => b.state === 'crashed')) return 'H10';
  return 'H14';
}

// Heroku's random choice among up dynos, skipping those already tried for this request.
export function pickBackend(
  backends: readonly Backend[],
  tried: ReadonlySet<string> = new Set(),
  random: () => number = Math.random,
): Backend | undefined {
  const candidates = backends.filter((b) => b.state === 'up' && !tried.has(b.name));
  return candidates[Math.floor(random() * candidates.length)];
}
