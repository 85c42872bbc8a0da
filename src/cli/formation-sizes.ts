// Sizes in the formation (`web=2:standard-2x`, Heroku's ps:scale grammar) → per-type memory limits
// and the size each type shows in `Scaled to web@2:Standard-2X` lines. --size is the default size.
import { resolveSizes, type FormationRequest } from '../app/formation.js';
import type { ProcessType } from '../core/types.js';
import { parseDynoSize, type MemoryLimits } from '../supervisor/dyno-size.js';

/** The sizes a formation runs with. */
export interface FormationSizes {
  /** Memory limits of every dyno: --size, or standard-1x once any type names a size. */
  memory?: MemoryLimits;
  /** Limits of the types whose size the formation names. */
  memoryByType?: Record<string, MemoryLimits>;
  /** Heroku's spelling of each type's size (`Standard-1X`), for scale lines. */
  sizeOf(type: string): string;
}

/** `standard-1x` → `Standard-1X`, `performance-m` → `Performance-M`, `eco` → `Eco`. */
export function formatSizeName(size: string): string {
  return size.split('-').map((part) => (part.length <= 2 ? part.toUpperCase() : part[0]!.toUpperCase() + part.slice(1))).join('-');
}

/** Resolve the formation's sizes on top of --size (`memory`, from resolveDynoManagerOptions). */
export function resolveFormationSizes(request: FormationRequest | undefined, types: readonly ProcessType[], memory: MemoryLimits | undefined): FormationSizes {
  const named = resolveSizes(request, types);
  const entries = Object.entries(named);
  const base = memory ?? (entries.length ? parseDynoSize(undefined) : undefined);
  const memoryByType = entries.length ? Object.fromEntries(entries.map(([type, size]) => [type, parseDynoSize(size)])) : undefined;
  const defaultSize = memory && memory.size !== 'custom' ? memory.size : 'standard-1x';
  return { memory: base, memoryByType, sizeOf: (type) => formatSizeName(named[type] ?? defaultSize) };
}
