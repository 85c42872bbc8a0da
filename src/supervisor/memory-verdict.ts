// Pure: one memory sample of a dyno → what the dyno manager does about it (HEROKU.md §2.3, §2.8).
import type { MemoryLimits } from './dyno-size.js';

/** How often R14 repeats while a dyno stays above its quota (Heroku samples memory every 20 s). */
export const R14_REPEAT_MS = 20_000;

/** `ok`: nothing to log. `r14`: log the R14 lines. `r15`: log R15 and SIGKILL the dyno. */
export type MemoryVerdict = 'ok' | 'r14' | 'r15';

/** One sample and what was logged before in this run. */
export interface MemorySample {
  /** Process-tree RSS of the run, in MB. */
  rssMb: number;
  limits: MemoryLimits;
  /** When the sample was taken (ms since the epoch). */
  now: number;
  /** When R14 was last logged for this run, null if never. */
  lastR14At: number | null;
  /** Minimum time between two R14 reports of one run. Default R14_REPEAT_MS. */
  repeatMs?: number;
}

/** R15 at the hard limit; R14 above the quota, once, then again every `repeatMs` while it lasts. */
export function nextMemoryVerdict(s: MemorySample): MemoryVerdict {
  if (s.rssMb >= s.limits.r15Mb) return 'r15';
  if (s.rssMb <= s.limits.quotaMb) return 'ok';
  if (s.lastR14At === null || s.now - s.lastR14At >= (s.repeatMs ?? R14_REPEAT_MS)) return 'r14';
  return 'ok';
}

/** `Process running mem=1028MB(200.8%)`: RSS in whole MB and as a percentage of the quota. */
export function formatMemoryLine(rssMb: number, quotaMb: number): string {
  return `Process running mem=${Math.round(rssMb)}MB(${((rssMb / quotaMb) * 100).toFixed(1)}%)`;
}

/** The heroku[<dyno>] lines for a verdict, in order (empty for `ok`). */
export function formatMemoryLines(verdict: MemoryVerdict, rssMb: number, limits: MemoryLimits): string[] {
  if (verdict === 'ok') return [];
  const usage = formatMemoryLine(rssMb, limits.quotaMb);
  if (verdict === 'r14') return [usage, 'Error R14 (Memory quota exceeded)'];
  return [usage, 'Error R15 (Memory quota vastly exceeded)', 'Stopping process with SIGKILL'];
}
