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
// Counts, then walks to the chosen one: no array or set is allocated per request.
export function pickBackend(
  backends: readonly Backend[],
  tried?: ReadonlySet<string>,
  random: () => number = Math.random,
): Backend | undefined {
  let count = 0;
  for (const b of backends) if (isCandidate(b, tried)) count++;
  if (count === 0) return undefined;
  let k = Math.floor(random() * count);
  for (const b of backends) if (isCandidate(b, tried) && k-- === 0) return b;
  return undefined;
}

// Up, and not tried yet for this request.
function isCandidate(b: Backend, tried: ReadonlySet<string> | undefined): boolean {
  return b.state === 'up' && !tried?.has(b.name);
}
