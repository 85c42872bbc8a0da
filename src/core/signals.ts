// Signal numbers and Heroku's exit statuses (128 + signal, as tini and Heroku report them).
import os from 'node:os';
import type { ExitInfo } from './types.js';

/** Heroku's status for a child that exited with `code` or died of `signal`. */
export function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal) return 128 + (os.constants.signals[signal] ?? 0);
  return code ?? 0;
}

/** Build an ExitInfo from the values node's 'exit' event gives. */
export function exitInfo(code: number | null, signal: NodeJS.Signals | null): ExitInfo {
  return { code, signal, status: exitStatus(code, signal) };
}
