// Dyno sizes and their memory limits (HEROKU.md §2.8): `--size` picks one; R14 above the quota, R15
// (SIGKILL) at the hard limit, 2× the quota on the Common Runtime sizes we simulate.
import { DynoError } from '../core/errors.js';

/** The memory limits one dyno runs under. */
export interface MemoryLimits {
  /** Size name as Heroku spells it in lower case (`standard-1x`), or `custom` for the test override. */
  size: string;
  /** Above this RSS: R14 (Memory quota exceeded); the dyno keeps running. */
  quotaMb: number;
  /** At or above this RSS: R15 (Memory quota vastly exceeded), SIGKILL, crash. */
  r15Mb: number;
}

/** Memory quota in MB per size; the R15 limit is twice the quota. */
export const DYNO_SIZES: Readonly<Record<string, number>> = {
  eco: 512,
  basic: 512,
  'standard-1x': 512,
  'standard-2x': 1024,
  'performance-m': 2560,
  'performance-l': 14336,
};

/**
 * `--size` (case-insensitive) → limits; `quotaMb` overrides the size's quota (the hidden test-only
 * `--memory-quota`, which alone implies `standard-1x`). Unknown size → USAGE listing the sizes.
 */
export function parseDynoSize(value: string | undefined, quotaMb?: number): MemoryLimits {
  const size = (value ?? 'standard-1x').trim().toLowerCase();
  const quota = DYNO_SIZES[size];
  if (quota === undefined) {
    throw new DynoError('USAGE', `unknown dyno size "${value}"`, { hint: `use one of ${Object.keys(DYNO_SIZES).join(', ')}` });
  }
  if (quotaMb === undefined) return { size, quotaMb: quota, r15Mb: 2 * quota };
  return { size: 'custom', quotaMb, r15Mb: 2 * quotaMb };
}
