// `dyno scale` arguments in Heroku's ps:scale grammar (HEROKU.md §5.1): `web=3`, `worker+1`, `clock-1`,
// several at once, applied in order. Unlike Heroku, a token that does not match is an error, not dropped.
import { DynoError } from '../core/errors.js';
import type { Formation, ProcessType } from '../core/types.js';
import { MAX_DYNOS } from '../app/formation.js';

// heroku/cli ps/scale.ts: ^([\w-]+)([=+-]\d+)(?::([\w-]+))?$ (the size is refused below).
const TOKEN = /^([\w-]+)([=+-])(\d+)(?::([\w-]+))?$/;

const HINT = 'e.g. `dyno scale web=3 worker+1 clock-1`';

// Say what is wrong with a token that is not TYPE=N, TYPE+N or TYPE-N.
function badToken(token: string): DynoError {
  const why = /^[\w-]+=[-+]\d+$/.test(token)
    ? 'a count cannot carry a sign: use TYPE+N or TYPE-N for relative changes'
    : /=\S*\D/.test(token) || /[+-]\d+\D/.test(token)
      ? 'the count must be a whole number'
      : 'expected TYPE=N, TYPE+N or TYPE-N';
  return new DynoError('BAD_FORMATION', `bad scale argument ${JSON.stringify(token)}: ${why}`, { hint: HINT });
}

// Apply one matched token to the formation (mutates `next`).
function applyToken(next: Formation, m: RegExpExecArray, types: readonly ProcessType[], maxDynos: number): void {
  const [token, type, op, digits, size] = m as unknown as [string, string, '=' | '+' | '-', string, string | undefined];
  if (size !== undefined) {
    throw new DynoError('BAD_FORMATION', `bad scale argument ${JSON.stringify(token)}: sizes are not scaled per type here`, {
      hint: `drop ":${size}"; the size applies to every dyno (dyno start --size)`,
    });
  }
  if (type === 'release' && types.some((t) => t.name === 'release')) {
    throw new DynoError('BAD_FORMATION', `bad scale argument ${JSON.stringify(token)}: release is not scaled; it runs once before the other dynos`);
  }
  if (!Object.hasOwn(next, type)) {
    const known = Object.keys(next).join(', ') || '(none)';
    throw new DynoError('UNKNOWN_TYPE', `Couldn't find that process type (${type}).`, { hint: `the Procfile defines: ${known}` });
  }
  const now = next[type]!;
  const n = Number(digits);
  const count = op === '=' ? n : op === '+' ? now + n : now - n;
  if (count < 0) throw new DynoError('BAD_FORMATION', `bad scale argument ${JSON.stringify(token)}: ${type} runs ${now} dyno${now === 1 ? '' : 's'}`);
  if (count > maxDynos) throw new DynoError('BAD_FORMATION', `bad scale argument ${JSON.stringify(token)}: at most ${maxDynos} dynos per app`);
  next[type] = count;
}

/**
 * The formation after `args` (tokens applied left to right) on top of `current`, whose keys are the
 * scalable types. Throws BAD_FORMATION or UNKNOWN_TYPE naming the token; `current` is never changed.
 */
export function parseScale(args: readonly string[], current: Formation, types: readonly ProcessType[], maxDynos = MAX_DYNOS): Formation {
  const next: Formation = { ...current };
  for (const token of args) {
    const m = TOKEN.exec(token);
    if (!m) throw badToken(token);
    applyToken(next, m, types, maxDynos);
  }
  const total = Object.values(next).reduce((a, b) => a + b, 0);
  if (total > maxDynos) {
    throw new DynoError('BAD_FORMATION', `Cannot run more than ${maxDynos} dynos: the formation would run ${total}`, {
      hint: maxDynos === MAX_DYNOS ? 'scale some types down, or start with --max-dynos N for a larger local simulation' : 'scale some types down',
    });
  }
  return next;
}
