// `--sweep web=1..4`: which process type, which counts. Pure; checked against the running formation
// (known types, Heroku's 100-dyno limit) before anything is scaled.
import { DynoError } from '../core/errors.js';
import type { Formation } from '../core/types.js';

/** Heroku's limit on dynos in one formation (as `dyno scale` enforces). */
export const MAX_DYNOS = 100;

export interface SweepSpec {
  type: string;
  counts: number[];
}

/** Parse `TYPE=A..B` (or `TYPE=N`) against the running formation. */
export function parseSweepSpec(text: string, formation: Formation): SweepSpec {
  const m = /^([A-Za-z0-9_-]+)=(\d{1,4})(?:\.\.(\d{1,4}))?$/.exec(text.trim());
  if (!m) throw new DynoError('USAGE', `--sweep expects TYPE=FROM..TO, e.g. web=1..4, got "${text}"`);
  const type = m[1]!;
  const from = Number(m[2]);
  const to = m[3] === undefined ? from : Number(m[3]);
  if (!(type in formation)) {
    throw new DynoError('UNKNOWN_TYPE', `Couldn't find that process type (${type}).`, { hint: `the Procfile defines: ${Object.keys(formation).join(', ')}` });
  }
  if (to < from) throw new DynoError('USAGE', `--sweep ${text}: the range runs backwards (${from} > ${to})`);
  if (from < 1 && type === 'web') throw new DynoError('USAGE', `--sweep ${text}: web needs at least 1 dyno to take the load`);
  const others = Object.entries(formation).reduce((n, [t, c]) => (t === type ? n : n + c), 0);
  if (others + to > MAX_DYNOS) {
    throw new DynoError('BAD_FORMATION', `--sweep ${text}: ${type}=${to} makes ${others + to} dynos; the limit is ${MAX_DYNOS} (Heroku's)`, {
      hint: others ? `the other types run ${others}; sweep up to ${type}=${MAX_DYNOS - others}` : undefined,
    });
  }
  return { type, counts: Array.from({ length: to - from + 1 }, (_, i) => from + i) };
}
