// The one Procfile parser. Classic (Cedar) semantics by default, HEROKU.md §1.2: each line is matched
// against `^[[:space:]]*([a-zA-Z0-9_-]+):?\s+(.*)`, and lines that do not match are silently dropped by
// Heroku. We keep the same result but report every dropped or surprising line. `strict` adds the
// Fir/CNB rules (§1.3) as a lint on top; the types returned are always what Cedar would run.
import type { ProcessType } from '../core/types.js';
import { excerpt, type Problem } from './problem.js';
import { lintProcfileStrict } from './procfile-strict.js';

export interface ProcfileOptions {
  /** Also report what Heroku's CNB (Fir) Procfile rules reject or correct. */
  strict?: boolean;
}

export interface ParsedProcfile {
  /** Process types in file order, `index` from 0. */
  types: ProcessType[];
  problems: Problem[];
}

/** The API's limit on process type names: `^[-\w]{1,128}$` [platform-api]. */
export const MAX_TYPE_NAME = 128;

interface LineResult {
  entry?: { name: string; command: string };
  problem?: Omit<Problem, 'file' | 'line'>;
}

type Found = Omit<Problem, 'file' | 'line'>;

// POSIX [[:space:]] minus the newline: space, \t, \v, \f, \r.
export function isBlank(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

function skipBlanks(line: string, i: number): number {
  while (i < line.length && isBlank(line.charCodeAt(i))) i++;
  return i;
}

function trimEndBlanks(s: string): string {
  let end = s.length;
  while (end > 0 && isBlank(s.charCodeAt(end - 1))) end--;
  return s.slice(0, end);
}

const err = (code: string, col: number, message: string, hint?: string): Found => ({ severity: 'error', code, col, message, hint });

// Classify one line the way Cedar's regex would, with a problem for anything it drops or twists.
function scanLine(line: string): LineResult {
  const start = skipBlanks(line, 0);
  if (start === line.length || line[start] === '#') return {};
  let i = start;
  while (i < line.length && isNameChar(line.charCodeAt(i))) i++;
  const name = line.slice(start, i);
  const c = i < line.length ? line.charCodeAt(i) : -1;
  if (name && c === 58) return afterColon(line, name, i + 1);
  if (name && isBlank(c)) return afterBlank(line, name, start, i);
  return { problem: badLine(line, start, i) };
}

// `web:` seen: Cedar needs whitespace, then a command.
function afterColon(line: string, name: string, j: number): LineResult {
  const k = skipBlanks(line, j);
  const command = trimEndBlanks(line.slice(k));
  if (!command) return { problem: err('empty-command', j + 1, `${excerpt(name)} has no command; Heroku ignores this line`) };
  if (k === j) {
    const hint = `add a space after the colon: ${excerpt(`${name}: ${command}`)}`;
    return { problem: err('no-space-after-colon', j + 1, `no space after ${excerpt(`${name}:`)}; Heroku ignores this line`, hint) };
  }
  return { entry: { name, command } };
}

// `web npm start` or `web : npm start`: the colon is optional for Cedar, which gives surprising results.
function afterBlank(line: string, name: string, start: number, i: number): LineResult {
  const j = skipBlanks(line, i);
  if (j === line.length) return { problem: err('not-an-entry', start + 1, `expected \`<type>: <command>\`, got ${excerpt(name)}; Heroku ignores this line`) };
  const command = trimEndBlanks(line.slice(j));
  if (line[j] === ':') {
    const rest = trimEndBlanks(line.slice(skipBlanks(line, j + 1)));
    const message = `space before the colon: Heroku runs type ${excerpt(name)} with command ${excerpt(command, 40)}, which does nothing (\`:\` is the shell's no-op) and exits`;
    return { problem: err('space-before-colon', i + 1, message, `write ${excerpt(`${name}: ${rest || '<command>'}`)}`) };
  }
  const problem: Found = {
    severity: 'warning', code: 'missing-colon', col: i + 1,
    message: `no colon after ${excerpt(name)}: Heroku runs this line as type ${excerpt(name)} with command ${excerpt(command, 40)}`,
    hint: `write \`<type>: <command>\`, or start the line with # if it is a comment`,
  };
  return { entry: { name, command }, problem };
}

// A line Cedar drops: a bad character in the name, or not an entry at all.
function badLine(line: string, start: number, i: number): Found {
  const colon = line.indexOf(':', start);
  const beforeColon = colon === -1 ? '' : line.slice(start, colon);
  if (colon > start && !/[\s]/.test(beforeColon)) {
    const message = `type name ${excerpt(beforeColon)} may contain only letters, digits, \`_\` and \`-\`; Heroku ignores this line`;
    return err('bad-type-name', i + 1, message);
  }
  return err('not-an-entry', start + 1, `expected \`<type>: <command>\`, got ${excerpt(line.slice(start))}; Heroku ignores this line`, 'start comments with #');
}

/** Parse a Procfile's text; never throws, every finding is a Problem. */
export function parseProcfile(text: string, file: string, options: ProcfileOptions = {}): ParsedProcfile {
  const problems: Problem[] = [];
  let body = text;
  if (body.charCodeAt(0) === 0xfeff) {
    body = body.slice(1);
    const firstIsEntry = scanLine(body.slice(0, body.indexOf('\n') >>> 0)).entry !== undefined;
    problems.push({
      file, line: 1, col: 1, severity: firstIsEntry ? 'error' : 'warning', code: 'bom',
      message: `file starts with a byte order mark (BOM)${firstIsEntry ? '; Heroku would not see the first line' : ''}`,
      hint: 'save the file as UTF-8 without BOM',
    });
  }
  const lines = body.split('\n');
  const types: ProcessType[] = [];
  const byName = new Map<string, ProcessType>();
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const { entry, problem } = scanLine(line);
    if (problem) problems.push({ file, line: n + 1, ...problem });
    if (entry) addType({ types, byName, problems }, { ...entry, line: n + 1, file });
  }
  problems.push(...fileProblems(types, file, body));
  if (options.strict) {
    const skip = new Set(problems.filter((p) => p.severity === 'error' && p.line > 0).map((p) => p.line));
    problems.push(...lintProcfileStrict(lines, file, skip));
  }
  return { types, problems: sortProblems(problems) };
}

interface Collected {
  types: ProcessType[];
  byName: Map<string, ProcessType>;
  problems: Problem[];
}

// Record a type, or report a duplicate or a name the API refuses.
function addType(into: Collected, e: { name: string; command: string; line: number; file: string }): void {
  const first = into.byName.get(e.name);
  if (first) {
    const message = `duplicate process type ${excerpt(e.name)} (first defined on line ${first.line}); Heroku keeps only one of them`;
    into.problems.push({ file: e.file, line: e.line, col: 1, severity: 'error', code: 'duplicate-type', message, hint: 'rename or delete one of them' });
    return;
  }
  if (e.name.length > MAX_TYPE_NAME) {
    const message = `type name is ${e.name.length} characters; Heroku allows at most ${MAX_TYPE_NAME}`;
    into.problems.push({ file: e.file, line: e.line, col: 1, severity: 'error', code: 'type-name-too-long', message });
    return;
  }
  const type: ProcessType = { name: e.name, command: e.command, index: into.types.length, line: e.line };
  into.types.push(type);
  into.byName.set(e.name, type);
}

// Whole-file findings: nothing to run, no web, release, reserved or look-alike names, stray CRs.
function fileProblems(types: ProcessType[], file: string, body: string): Problem[] {
  const out: Problem[] = [];
  const warn = (line: number, code: string, message: string, hint?: string) => out.push({ file, line, col: line ? 1 : 0, severity: 'warning', code, message, hint });
  if (/\r(?!\n)/.test(body)) warn(0, 'lone-cr', 'carriage return (\\r) without a newline: old Mac line endings join lines into one', 'convert the file to LF line endings');
  if (types.length === 0) {
    out.push({ file, line: 0, col: 0, severity: 'error', code: 'no-types', message: 'no process types defined', hint: 'add a line such as `web: npm start`' });
    return out;
  }
  if (!types.some((t) => t.name === 'web')) warn(0, 'no-web', 'no `web` process type: nothing will receive HTTP traffic from the router');
  for (const t of types) {
    if (t.name !== 'web' && t.name.toLowerCase() === 'web') warn(t.line, 'web-case', `\`${t.name}\` is not \`web\`: type names are case-sensitive and only \`web\` gets HTTP traffic`);
    if (t.name === 'release') warn(t.line, 'release', '`release` is the release phase: it runs once, before the other dynos start, and is never scaled');
    if (t.name === 'all' || t.name === 'run') warn(t.line, 'reserved-type', `\`${t.name}\` is also a word dyno uses (${t.name === 'all' ? '`all=N` in a formation means every type' : '`run.N` names one-off dynos'})`, 'rename the type');
  }
  return out;
}

// File order: by line, whole-file problems last, stable otherwise.
function sortProblems(problems: Problem[]): Problem[] {
  const key = (p: Problem) => (p.line === 0 ? Number.MAX_SAFE_INTEGER : p.line);
  return problems.map((p, i) => ({ p, i })).sort((a, b) => key(a.p) - key(b.p) || a.i - b.i).map((x) => x.p);
}
