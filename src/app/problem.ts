// One diagnostic about an input file, shared by the parsers, loadApp and `dyno check`.

/** A problem found in a Procfile, env file or formation; parsers collect these instead of throwing. */
export interface Problem {
  /** The file as the user named it (`Procfile`, `.env.local`), or `formation` for -m/positional tokens. */
  file: string;
  /** 1-based line; 0 when the problem concerns the whole file. */
  line: number;
  /** 1-based column (UTF-16 units); 0 when not about a position. */
  col: number;
  /** `error`: Heroku would reject, drop or mis-run it (check exits 1). `warning`: legal but surprising. */
  severity: 'error' | 'warning';
  /** Stable kebab-case identifier for tests and --json, e.g. `no-space-after-colon`. */
  code: string;
  message: string;
  /** The fix, when we know it. */
  hint?: string;
}

/** `Procfile:2:4: warning: message` (+ `\n  hint: …`); whole-file problems omit line and column. */
export function formatProblem(p: Problem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
  const head = `${where}: ${p.severity}: ${p.message}`;
  return p.hint ? `${head}\n  hint: ${p.hint}` : head;
}

// Control characters and invisible spaces (NBSP, zero-width, BOM), shown as \u{…} in messages.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\x00-\x1f\x7f-\xa0\u200b-\u200f\u2028\u2029\u2060\ufeff]/g;

/** Quote user text for a message: backticks, control characters shown, cut to `max` characters. */
export function excerpt(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return `\`${cut.replace(INVISIBLE, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)}\``;
}

/** Count errors and warnings. */
export function countProblems(problems: readonly Problem[]): { errors: number; warnings: number } {
  let errors = 0;
  for (const p of problems) if (p.severity === 'error') errors++;
  return { errors, warnings: problems.length - errors };
}
