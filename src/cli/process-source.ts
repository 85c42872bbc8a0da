// DYNO_PROC_FALLBACK=ps forces the portable `ps` process table (the macOS path) on Linux, for tests;
// read here, at the composition roots, and passed down.
import type { ProcessSource } from '../supervisor/kill-tree.js';

/** The process source the environment asks for; undefined means /proc where it exists. */
export function processSourceFrom(env: NodeJS.ProcessEnv): ProcessSource | undefined {
  return env.DYNO_PROC_FALLBACK === 'ps' ? 'ps' : undefined;
}
