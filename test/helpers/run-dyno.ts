// Run the built CLI (dist/dyno.cjs) as a user would, and watch its output line by line.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The binary under test: DYNO_BIN (e.g. the single executable) or the bundle. */
export const dynoBin = process.env.DYNO_BIN ?? path.join(projectRoot, 'dist/dyno.cjs');

export interface DynoRun {
  child: ChildProcess;
  pid: number;
  /** Complete stdout lines so far (ANSI kept as printed). */
  lines: string[];
  /** Complete stderr lines so far. */
  errLines: string[];
  /** Resolves with the exit code (or 128+signal) when the process ends. */
  exit: Promise<number>;
  /** Wait until some stdout line matches; returns it. */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  signal(sig: NodeJS.Signals): void;
  stdout(): string;
  stderr(): string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
  /** Run dyno as the leader of its own process group (so a test can signal the group, as a terminal's Ctrl-C does). */
  detached?: boolean;
}

// Split a stream into lines as they arrive.
function collect(stream: NodeJS.ReadableStream, into: string[], raw: { text: string }): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    raw.text += chunk;
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    into.push(...parts);
  });
  stream.on('end', () => {
    if (rest) into.push(rest);
  });
}

export function runDyno(args: string[], options: RunOptions = {}): DynoRun {
  const isBundle = dynoBin.endsWith('.cjs');
  const child = spawn(isBundle ? process.execPath : dynoBin, isBundle ? [dynoBin, ...args] : args, {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, NODE_OPTIONS: undefined, XDG_RUNTIME_DIR: undefined, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: options.detached,
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  else child.stdin!.end();
  const lines: string[] = [];
  const errLines: string[] = [];
  const out = { text: '' };
  const err = { text: '' };
  collect(child.stdout!, lines, out);
  collect(child.stderr!, errLines, err);
  const exit = new Promise<number>((resolve) => {
    child.on('close', (code, sig) => resolve(code ?? 128 + (sig ? os.constants.signals[sig] : 0)));
  });
  return {
    child,
    pid: child.pid!,
    lines,
    errLines,
    exit,
    waitForLine: (re, timeoutMs = 10_000) =>
      waitFor(() => lines.find((l) => re.test(l)), { timeoutMs, what: () => `a line matching ${re}\n--- stdout:\n${out.text}\n--- stderr:\n${err.text}` }),
    signal: (sig) => child.kill(sig),
    stdout: () => out.text,
    stderr: () => err.text,
  };
}

/** Run to completion and return code and output. */
export async function runDynoToEnd(args: string[], options: RunOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const run = runDyno(args, options);
  const code = await run.exit;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}
