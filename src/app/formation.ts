// Formation requests: `web=2,worker=1`, `web`, `all=3`, `web=2 worker`, from positional args and -m.
// parseFormation checks the syntax; resolveFormation checks it against the Procfile's types.
import { DynoError } from '../core/errors.js';
import type { Formation, ProcessType } from '../core/types.js';
import { DYNO_SIZES } from '../supervisor/dyno-size.js';

/** Heroku's default limit on dynos per app (HEROKU.md §5.1); `--max-dynos` lifts it for local simulations. */
export const MAX_DYNOS = 100;

/** The highest `--max-dynos` accepted (each dyno is at least one process of this machine). */
export const MAX_DYNOS_CEILING = 10_000;

/** `--max-dynos N` as typed (absent: Heroku's 100) → the limit; USAGE unless a whole number from 1 to 10000. */
export function parseMaxDynos(value: string | undefined): number {
  if (value === undefined) return MAX_DYNOS;
  const n = /^\s*\d{1,5}\s*$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= MAX_DYNOS_CEILING)) {
    const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    throw new DynoError('USAGE', `--max-dynos expects a whole number of dynos from 1 to ${MAX_DYNOS_CEILING}, got ${shown}`);
  }
  return n;
}

// The hint when a formation passes the limit.
function limitHint(max: number): string {
  return max === MAX_DYNOS ? 'lower the counts, or lift the limit for a local simulation with --max-dynos N' : 'lower the counts, or raise --max-dynos';
}

/** One `name=count` item as the user wrote it. */
export interface FormationEntry {
  /** A process type, or `all` for every type. */
  name: string;
  /** Dynos wanted, 0–100. */
  count: number;
  /** The text it came from, for messages. */
  token: string;
  /** Heroku's size for these dynos (`web=2:standard-2x`), lower case; absent when not given. */
  size?: string;
}

/** A parsed but not yet resolved formation: entries apply in order, later ones win. */
export interface FormationRequest {
  entries: FormationEntry[];
}

// `web`, `web=2`, `web=2:standard-2x` (Heroku's ps:scale grammar; the size sets the memory quota).
const ITEM = /^([A-Za-z0-9_-]+)(?:=(\d+))?(?::([A-Za-z0-9_-]+))?$/;

// `web:2` is foreman-ish for "two web dynos", but in Heroku's grammar `:x` is a size: say so.
function checkSize(item: string, m: RegExpExecArray): string | undefined {
  const size = m[3];
  if (size === undefined) return undefined;
  const hint = 'e.g. `web=2` for two dynos, or `web=2:standard-2x` for two dynos of that size';
  if (m[2] === undefined) {
    throw new DynoError('BAD_FORMATION', `bad formation ${JSON.stringify(item)}: a size needs a count first (${/^\d+$/.test(size) ? `did you mean ${m[1]}=${size}?` : `${m[1]}=1:${size}`})`, { hint });
  }
  const lower = size.toLowerCase();
  if (DYNO_SIZES[lower] === undefined) {
    throw new DynoError('BAD_FORMATION', `bad formation ${JSON.stringify(item)}: unknown dyno size ${JSON.stringify(size)}`, { hint: `sizes: ${Object.keys(DYNO_SIZES).join(', ')}` });
  }
  return lower;
}

// Explain what is wrong with one item that did not match.
function badItem(item: string): DynoError {
  const count = item.includes('=') ? item.slice(item.indexOf('=') + 1) : '';
  const why = /^[-+]\d/.test(count)
    ? 'counts must be whole numbers of 0 or more (no signs: relative scaling is `dyno scale`)'
    : count !== '' && !/^\d+$/.test(count.split(':')[0]!)
      ? `${JSON.stringify(count)} is not a whole number`
      : 'expected TYPE or TYPE=COUNT';
  return new DynoError('BAD_FORMATION', `bad formation ${JSON.stringify(item)}: ${why}`, { hint: 'e.g. `web=2,worker=1`, `web worker`, or `all=2`' });
}

/** Parse formation tokens; each may hold several items separated by commas or spaces. Undefined when there are none. */
export function parseFormation(tokens: readonly string[], maxDynos = MAX_DYNOS): FormationRequest | undefined {
  const entries: FormationEntry[] = [];
  for (const token of tokens) {
    for (const item of token.split(/[\s,]+/)) {
      if (!item) continue;
      const m = ITEM.exec(item);
      if (!m) throw badItem(item);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      if (count > maxDynos) throw new DynoError('BAD_FORMATION', `bad formation ${JSON.stringify(item)}: at most ${maxDynos} dynos per app`, { hint: limitHint(maxDynos) });
      const size = checkSize(item, m);
      entries.push({ name: m[1]!, count, token: item, ...(size ? { size } : {}) });
    }
  }
  return entries.length ? { entries } : undefined;
}

/**
 * The count per type, in Procfile order. Without a request every type runs once; with one, types it
 * does not name get 0. `release` is never a formation dyno (it runs once, first). Throws UNKNOWN_TYPE
 * or BAD_FORMATION naming the offending token.
 */
export function resolveFormation(request: FormationRequest | undefined, types: readonly ProcessType[], maxDynos = MAX_DYNOS): Formation {
  const names = types.map((t) => t.name).filter((n) => n !== 'release');
  const formation: Formation = {};
  for (const name of names) formation[name] = request ? 0 : 1;
  for (const entry of request?.entries ?? []) {
    if (entry.name === 'all') {
      for (const name of names) formation[name] = entry.count;
    } else if (entry.name === 'release' && types.some((t) => t.name === 'release')) {
      throw new DynoError('BAD_FORMATION', `bad formation ${JSON.stringify(entry.token)}: release is not scaled; it runs once before the other dynos`);
    } else if (!Object.hasOwn(formation, entry.name)) {
      const known = names.length ? names.join(', ') : '(none)';
      throw new DynoError('UNKNOWN_TYPE', `unknown process type ${JSON.stringify(entry.name)} in formation ${JSON.stringify(entry.token)}`, { hint: `the Procfile defines: ${known}` });
    } else {
      formation[entry.name] = entry.count;
    }
  }
  const total = Object.values(formation).reduce((a, b) => a + b, 0);
  if (total > maxDynos) {
    const limit = maxDynos === MAX_DYNOS ? `Heroku allows at most ${MAX_DYNOS} per app` : `--max-dynos allows at most ${maxDynos}`;
    throw new DynoError('BAD_FORMATION', `formation asks for ${total} dynos; ${limit}`, { hint: limitHint(maxDynos) });
  }
  return formation;
}

/** The sizes named in the request per type (`all=1:eco` names every type), later entries win. */
export function resolveSizes(request: FormationRequest | undefined, types: readonly ProcessType[]): Record<string, string> {
  const sizes: Record<string, string> = {};
  for (const entry of request?.entries ?? []) {
    if (entry.size === undefined) continue;
    for (const t of types) if ((entry.name === 'all' && t.name !== 'release') || entry.name === t.name) sizes[t.name] = entry.size;
  }
  return sizes;
}

/** `web=2 worker=1` (types with 0 left out; `(none)` when nothing runs). */
export function formatFormation(formation: Formation): string {
  const parts = Object.entries(formation).filter(([, n]) => n > 0).map(([name, n]) => `${name}=${n}`);
  return parts.length ? parts.join(' ') : '(none)';
}
