// The one impure loader of the app model: reads the Procfile and env files, runs the pure parsers,
// and returns an App. It is given the shell environment; it never reads process.env itself.
import fs from 'node:fs';
import path from 'node:path';
import { DynoError, type ErrorCode } from '../core/errors.js';
import type { ProcessType } from '../core/types.js';
import { decodeText } from './decode-text.js';
import { configSizeProblem, mergeEnv, parseEnvFile } from './env-file.js';
import { formatProblem, type Problem } from './problem.js';
import { parseProcfile } from './procfile.js';
import { shownPath } from './shown-path.js';

/** Files larger than this are refused before reading (nobody writes a 64 MB Procfile). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface App {
  /** Absolute app directory: commands run here. */
  root: string;
  /** Absolute path of the Procfile. */
  procfilePath: string;
  types: ProcessType[];
  /** The environment dyno was started with (passed in, usually process.env). */
  shellEnv: Record<string, string | undefined>;
  /** The env files merged, later file wins. */
  fileEnv: Record<string, string>;
  /** shell < env files: the app environment before per-dyno variables. */
  env: Record<string, string>;
  /** Absolute paths of the env files actually read, in order. */
  envFiles: string[];
  /** Warnings (and, with `collect`, errors) from the Procfile and env files. */
  problems: Problem[];
}

export interface LoadAppOptions {
  /** Directory relative paths are resolved from. */
  cwd: string;
  /** -d: the app directory; else the Procfile's directory when -f is given; else cwd. */
  root?: string;
  /** -f: relative to `root` when -d is given, else to `cwd`. Default `Procfile` in the root. */
  procfile?: string;
  /** -e: file names, each may be a comma list; relative like -f. Default: `.env` in the root, if present. */
  envFiles?: string[];
  shellEnv: Record<string, string | undefined>;
  /** Add the Fir/CNB Procfile lint. */
  strict?: boolean;
  /** For `dyno check`: keep Procfile errors in `problems` instead of throwing. */
  collect?: boolean;
  /** For `dyno run`: an app without a Procfile is fine (no process types). */
  procfileOptional?: boolean;
}

/** Env problems that make the file unusable, not just suspicious. */
const FATAL_ENV_CODES = new Set(['binary', 'utf16']);

// Read a regular file's bytes, or throw `code` naming it.
function readFileBytes(file: string, shown: string, code: ErrorCode): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (cause) {
    const noun = code === 'PROCFILE_NOT_FOUND' ? 'Procfile' : 'env file';
    throw new DynoError(code, `${noun} not found: ${shown}`, { cause, hint: code === 'PROCFILE_NOT_FOUND' ? 'create one (e.g. `web: npm start`) or pass -f <file>' : undefined });
  }
  if (stat.isDirectory()) throw new DynoError(code, `${shown} is a directory, not a file`);
  if (!stat.isFile()) throw new DynoError(code, `${shown} is not a regular file`);
  if (stat.size > MAX_FILE_BYTES) throw new DynoError(code, `${shown} is ${Math.round(stat.size / 1048576)} MB; that cannot be a ${code === 'PROCFILE_NOT_FOUND' ? 'Procfile' : 'env file'}`);
  try {
    return fs.readFileSync(file);
  } catch (cause) {
    throw new DynoError(code, `cannot read ${shown}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
  }
}

/** The app directory the options name, as loadApp resolves it (control clients find the socket from it). */
export function resolveAppRoot(o: Pick<LoadAppOptions, 'cwd' | 'root' | 'procfile'>): string {
  if (o.root !== undefined) return path.resolve(o.cwd, o.root);
  return o.procfile !== undefined ? path.dirname(path.resolve(o.cwd, o.procfile)) : o.cwd;
}

// Work out root, Procfile and env file paths from the options (see LoadAppOptions).
function resolvePaths(o: LoadAppOptions): { root: string; procfilePath: string; envFiles: string[]; defaultEnv: boolean } {
  const base = o.root !== undefined ? path.resolve(o.cwd, o.root) : o.cwd;
  const procfilePath = path.resolve(base, o.procfile ?? 'Procfile');
  const root = resolveAppRoot(o);
  const named = (o.envFiles ?? []).flatMap((e) => e.split(',')).map((e) => e.trim()).filter(Boolean);
  if (named.length) return { root, procfilePath, envFiles: named.map((e) => path.resolve(base, e)), defaultEnv: false };
  return { root, procfilePath, envFiles: [path.join(root, '.env')], defaultEnv: true };
}

/** Load the app. Throws DynoError on a missing/unusable Procfile or named env file, and on Procfile errors unless `collect`. */
export function loadApp(o: LoadAppOptions): App {
  const paths = resolvePaths(o);
  const procfileShown = shownPath(o.cwd, paths.procfilePath);
  const skipProcfile = o.procfileOptional === true && o.procfile === undefined && !fs.existsSync(paths.procfilePath);
  if (!skipProcfile && o.procfile === undefined) refuseMissingWithDev(paths.procfilePath, procfileShown);
  const bytes = skipProcfile ? Buffer.alloc(0) : readFileBytes(paths.procfilePath, procfileShown, 'PROCFILE_NOT_FOUND');
  const decoded = skipProcfile ? { text: '', problems: [], binary: false } : decodeText(bytes, procfileShown);
  const parsed = decoded.binary || skipProcfile ? { types: [], problems: [] } : parseProcfile(decoded.text, procfileShown, { strict: o.strict });
  const problems = [...decoded.problems, ...parsed.problems];
  if (!o.collect) throwOnErrors(problems);
  const envFiles: string[] = [];
  const layers: Array<Record<string, string>> = [];
  for (const file of paths.envFiles) {
    if (paths.defaultEnv && !fs.existsSync(file)) continue;
    const env = loadEnvFile(file, { cwd: o.cwd, collect: o.collect ?? false, problems });
    envFiles.push(file);
    layers.push(env);
  }
  const fileEnv = mergeEnv(layers);
  const size = configSizeProblem(fileEnv, envFiles.map((f) => shownPath(o.cwd, f)).join(', ') || '.env');
  if (size) problems.push(size);
  return { root: paths.root, procfilePath: paths.procfilePath, types: parsed.types, shellEnv: o.shellEnv, fileEnv, env: mergeEnv([o.shellEnv, fileEnv]), envFiles, problems };
}

// No Procfile but a Procfile.dev beside it (Rails, overmind and foreman habits): say which flag to use.
function refuseMissingWithDev(procfilePath: string, shown: string): void {
  const dev = path.join(path.dirname(procfilePath), 'Procfile.dev');
  if (fs.existsSync(procfilePath) || !fs.existsSync(dev)) return;
  throw new DynoError('PROCFILE_NOT_FOUND', `Procfile not found: ${shown}; there is a Procfile.dev: use -f Procfile.dev`, {
    hint: 'or put `procfile: Procfile.dev` in .foreman to make it the default',
  });
}

// Read and parse one env file, adding its problems; a binary or UTF-16 file throws unless collecting.
function loadEnvFile(file: string, ctx: { cwd: string; collect: boolean; problems: Problem[] }): Record<string, string> {
  const shown = shownPath(ctx.cwd, file);
  const decoded = decodeText(readFileBytes(file, shown, 'ENV_NOT_FOUND'), shown);
  const fatal = decoded.problems.find((p) => FATAL_ENV_CODES.has(p.code));
  if (fatal && !ctx.collect) throw new DynoError('ENV_SYNTAX', formatProblem(fatal));
  ctx.problems.push(...decoded.problems);
  if (decoded.binary) return {};
  const parsed = parseEnvFile(decoded.text, shown);
  ctx.problems.push(...parsed.problems);
  return parsed.env;
}

// Procfile errors stop everything: throw the first few, formatted, with a pointer to `dyno check`.
function throwOnErrors(problems: readonly Problem[]): void {
  const errors = problems.filter((p) => p.severity === 'error');
  if (!errors.length) return;
  const shown = errors.slice(0, 3).map(formatProblem).join('\n');
  const more = errors.length > 3 ? `\n(${errors.length - 3} more)` : '';
  const code: ErrorCode = errors[0]!.code === 'duplicate-type' ? 'DUPLICATE_TYPE' : 'PROCFILE_SYNTAX';
  throw new DynoError(code, `Procfile has ${errors.length} error${errors.length > 1 ? 's' : ''}:\n${shown}${more}`, { hint: 'run `dyno check` to see every problem' });
}
