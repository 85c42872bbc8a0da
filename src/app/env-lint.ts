// Line-level diagnostics for env files: lines dotenv skips, values it mangles, names Heroku refuses,
// keys set twice, `$VAR` that nobody expands. Positions come from scanEnvText (dotenv's own scanner).
import { scanEnvText, type EnvEntry, type EnvScan } from './env-scan.js';
import { excerpt, type Problem } from './problem.js';

type Finding = Pick<Problem, 'severity' | 'code' | 'message' | 'hint'>;
type Emit = (offset: number, finding: Finding) => void;

/** Why Heroku would refuse a config var name (HEROKU.md §6), or undefined when it is fine. */
export function configVarNameProblem(key: string): string | undefined {
  if (/^[0-9]/.test(key)) return 'starts with a digit';
  if (/[^A-Za-z0-9_]/.test(key)) return 'contains characters other than letters, digits and `_`';
  if (key.startsWith('__')) return 'starts with `__`';
  if (key.startsWith('HEROKU_')) return 'starts with `HEROKU_`, which is reserved for the platform';
  return undefined;
}

/** Every problem in an env file's text, in line order. */
export function lintEnvText(text: string, file: string): Problem[] {
  const scan = scanEnvText(text);
  const starts = lineStarts(scan.text);
  const problems: Problem[] = [];
  const emit: Emit = (offset, finding) => {
    const line = lineIndex(starts, offset);
    problems.push({ file, line: line + 1, col: offset - starts[line]! + 1, ...finding });
  };
  const firstLine = new Map<string, number>();
  for (const entry of scan.entries) {
    lintKey(entry, { emit, firstLine, line: lineIndex(starts, entry.keyStart) + 1 });
    lintValue(entry, emit);
  }
  if (isJsonObject(scan.text)) {
    emit(0, { severity: 'warning', code: 'json-env', message: 'JSON env file: heroku local flattens JSON, dyno reads KEY=value lines only' });
  } else {
    for (const skipped of scan.skipped) emit(skipped.start, droppedLine(scan, skipped.start, skipped.reason));
  }
  return problems.sort((a, b) => a.line - b.line || a.col - b.col);
}

// Offsets where each line starts.
function lineStarts(src: string): number[] {
  const starts = [0];
  for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

// 0-based line containing `offset` (binary search).
function lineIndex(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// Names Heroku refuses, keys set twice, YAML-style separators.
function lintKey(entry: EnvEntry, ctx: { emit: Emit; firstLine: Map<string, number>; line: number }): void {
  const reason = configVarNameProblem(entry.key);
  if (reason) ctx.emit(entry.keyStart, { severity: 'warning', code: 'config-var-name', message: `Heroku refuses the config var name ${excerpt(entry.key)}: it ${reason}` });
  const first = ctx.firstLine.get(entry.key);
  if (first === undefined) ctx.firstLine.set(entry.key, ctx.line);
  else ctx.emit(entry.keyStart, { severity: 'warning', code: 'duplicate-key', message: `${excerpt(entry.key)} is set again (first on line ${first}); the later value wins` });
  if (entry.separator === ':') {
    ctx.emit(entry.keyStart + entry.key.length, { severity: 'warning', code: 'colon-separator', message: 'YAML-style `KEY: value`: dotenv accepts it, most other .env readers do not', hint: 'write KEY=value' });
  }
}

// Quotes dotenv does not honour, `#` cutting a value, a quote swallowing lines, `$VAR` never expanded.
function lintValue(e: EnvEntry, emit: Emit): void {
  const q = e.value[0];
  if (e.strayQuote && (q === '"' || q === "'" || q === '`')) {
    const closed = e.value.indexOf(q, 1) !== -1;
    const message = closed
      ? `text after the closing quote: dotenv keeps the whole value literally, quotes included: ${excerpt(e.value)}`
      : `unterminated ${q} quote: dotenv keeps the value literally, quote included: ${excerpt(e.value)}`;
    emit(e.valueStart, closed ? { severity: 'warning', code: 'text-after-quote', message } : { severity: 'error', code: 'unterminated-quote', message, hint: `close the quote: ${excerpt(`${e.value}${q}`)}` });
  }
  if (e.quote && e.value.includes('\n')) {
    const swallowed = e.value.split('\n').slice(1).find((l) => /^\s*(?:export\s+)?[A-Za-z_]\w*\s*=(?!=|\s*$)/.test(l));
    const message = `quoted value runs over ${e.value.split('\n').length} lines and swallows ${excerpt(swallowed?.trim() ?? '', 40)}`;
    if (swallowed) emit(e.valueStart, { severity: 'warning', code: 'quote-spans-lines', message, hint: 'a closing quote is probably missing' });
  }
  if (e.cutAtHash) {
    const message = `unquoted \`#\` starts a comment: the value is ${excerpt(e.value)} and the rest of the line is dropped`;
    emit(e.valueEnd, { severity: 'warning', code: 'hash-in-value', message, hint: 'quote the value: KEY="a#b"' });
  }
  if (e.quote !== "'" && /\$\{?[A-Za-z_]/.test(e.value)) {
    const message = 'no variable expansion: the value keeps `$…` literally, as Heroku config vars do';
    emit(e.valueStart, { severity: 'warning', code: 'no-expansion', message, hint: 'write the value out; the shell expands $VAR in Procfile commands' });
  }
}

// Explain a line dotenv skips.
function droppedLine(scan: EnvScan, start: number, reason: 'no-key' | 'no-separator'): Finding {
  const end = scan.text.indexOf('\n', start);
  const text = scan.text.slice(start, end === -1 ? undefined : end).trimEnd();
  const eq = text.indexOf('=');
  const key = reason === 'no-separator' && eq > 0 ? text.slice(0, eq).trim().replace(/^export\s+/, '') : '';
  const why = !key
    ? `expected KEY=value, got ${excerpt(text)}`
    : /\s/.test(key) ? `the key ${excerpt(key)} contains spaces` : `the key ${excerpt(key)} may contain only letters, digits, \`_\`, \`.\` and \`-\``;
  return { severity: 'error', code: 'dropped-line', message: `dotenv ignores this line: ${why}` };
}

function isJsonObject(src: string): boolean {
  if (!src.trimStart().startsWith('{')) return false;
  try {
    const value: unknown = JSON.parse(src);
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}
