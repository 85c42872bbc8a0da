// Heroku's CNB (Fir) Procfile rules as a lint, HEROKU.md §1.3: keys are RFC 1123 labels, `_` and
// uppercase are corrected with a warning, any other bad key is an error, `:` is required.
import { excerpt, type Problem } from './problem.js';

/** Fir's key rule: `[a-z0-9]`, inner `-`, 1–63 characters. */
const FIR_KEY = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** What Fir does with a key: keep it, correct it (with a warning), or reject it. */
export function correctFirKey(key: string): { key: string; corrected: boolean } | undefined {
  if (FIR_KEY.test(key)) return { key, corrected: false };
  const fixed = key.toLowerCase().replaceAll('_', '-');
  return FIR_KEY.test(fixed) ? { key: fixed, corrected: true } : undefined;
}

/**
 * Problems Fir would raise that Cedar would not. `lines` are the Procfile's lines (BOM removed);
 * `skipLines` holds 1-based lines that already carry a classic error, so they are not reported twice.
 */
export function lintProcfileStrict(lines: readonly string[], file: string, skipLines: ReadonlySet<number> = new Set()): Problem[] {
  const out: Problem[] = [];
  const seen = new Map<string, { original: string; line: number }>();
  for (let n = 1; n <= lines.length; n++) {
    if (skipLines.has(n)) continue;
    const line = lines[n - 1]!.replace(/\r$/, '');
    const start = line.search(/\S/);
    if (start === -1 || line[start] === '#') continue;
    const at = (col: number, severity: Problem['severity'], code: string, message: string, hint?: string) =>
      out.push({ file, line: n, col, severity, code, message, hint });
    if (start > 0) at(1, 'warning', 'strict-leading-space', 'leading whitespace before the type name (Fir accepts it with a warning)');
    const colon = line.indexOf(':', start);
    if (colon === -1) {
      at(start + 1, 'error', 'strict-no-colon', 'no `:` after the type name: Fir rejects this line', 'write `<type>: <command>`');
      continue;
    }
    const original = line.slice(start, colon);
    const fir = correctFirKey(original);
    if (!fir) {
      const message = `Fir rejects the type name ${excerpt(original)}: lowercase letters, digits and inner \`-\` only, at most 63 characters`;
      at(start + 1, 'error', 'strict-bad-key', message);
      continue;
    }
    if (fir.corrected) at(start + 1, 'warning', 'strict-key-corrected', `Procfile key ${original} has been corrected to ${fir.key} (on Fir)`, `name it \`${fir.key}\``);
    const first = seen.get(fir.key);
    if (first && first.original !== original) {
      at(start + 1, 'error', 'strict-duplicate-key', `${excerpt(original)} and ${excerpt(first.original)} (line ${first.line}) are the same type \`${fir.key}\` on Fir`);
    } else if (!first) {
      seen.set(fir.key, { original, line: n });
    }
  }
  return out;
}
