// Heroku-style crash backoff (HEROKU.md §2.6), pure: the first restart is immediate, then the delay
// doubles from `initialMs` up to `maxMs`; a dyno that stayed up `resetAfterMs` starts over.

/** Backoff settings (`--backoff <initial>,<max>`). */
export interface Backoff {
  /** Delay before the second restart; doubles for each later crash. */
  initialMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
  /** A dyno up at least this long before crashing counts as a fresh first crash. */
  resetAfterMs: number;
}

export const defaultBackoff: Backoff = { initialMs: 1000, maxMs: 300_000, resetAfterMs: 60_000 };

/** Consecutive crashes including this one: `previous + 1`, or 1 when the dyno had been up long enough. */
export function nextCrashCount(previous: number, upForMs: number, backoff: Backoff): number {
  return upForMs >= backoff.resetAfterMs ? 1 : previous + 1;
}

/** Milliseconds to wait before restarting after the `crashes`-th consecutive crash (1-based). */
export function nextRestartDelay(crashes: number, backoff: Backoff): number {
  if (crashes <= 1) return 0;
  const delay = backoff.initialMs * 2 ** (crashes - 2);
  return Math.min(backoff.maxMs, delay);
}
