// Parse a duration flag: "5" or "5s" (seconds), "200ms", "2m", "1h" → milliseconds. Bad input → DynoError.
import { DynoError } from '../core/errors.js';

/** Node's timers overflow past 2^31 - 1 ms (and then fire at once). */
const MAX_DURATION_MS = 2 ** 31 - 1;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(value: string, flag: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!m) {
    throw new DynoError('USAGE', `${flag} expects a duration such as 5, 5s, 200ms or 2m, got ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`);
  }
  const ms = Math.round(Number(m[1]) * UNITS[m[2] ?? 's']!);
  if (!(ms <= MAX_DURATION_MS)) throw new DynoError('USAGE', `${flag} ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)} is too long: at most 24 days (timers cannot wait longer)`);
  return ms;
}
