// Env files: values from dotenv.parse with its linear `fast` scanner (the default regex parser overflows
// the stack on multi-MB quoted values; NODE-NOTES §3: both agree), diagnostics from our
// own scan (env-lint.ts), and mergeEnv, the one place the precedence of environment layers is stated.
import dotenv from 'dotenv';
import { lintEnvText } from './env-lint.js';
import type { Problem } from './problem.js';

export interface ParsedEnvFile {
  /** KEY → value as dotenv reads it (no `${VAR}` expansion, like Heroku config vars). */
  env: Record<string, string>;
  problems: Problem[];
}

/** Heroku's limit on all config var keys and values together, per app (HEROKU.md §6). */
export const MAX_CONFIG_BYTES = 64 * 1024;

/** Parse an env file's text; never throws. */
export function parseEnvFile(text: string, file: string): ParsedEnvFile {
  return { env: { ...dotenv.parse(text, { fast: true }) }, problems: lintEnvText(text, file) };
}

/**
 * Merge environment layers; a later layer wins, and `undefined` in a later layer removes the key.
 * THE precedence, stated once: shell env < env files (a later file wins) < per-dyno variables
 * (PORT, DYNO, PS, FOREMAN_WORKER_NAME). Callers pass the layers in exactly that order.
 */
export function mergeEnv(layers: Array<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const layer of layers) {
    for (const key of Object.keys(layer)) {
      const value = layer[key];
      if (value === undefined) delete out[key];
      else out[key] = value;
    }
  }
  return out;
}

/** A warning when the config vars from env files exceed Heroku's 64 KB per-app limit. */
export function configSizeProblem(env: Record<string, string>, file: string): Problem | undefined {
  let bytes = 0;
  for (const [key, value] of Object.entries(env)) bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  if (bytes <= MAX_CONFIG_BYTES) return undefined;
  const message = `config vars total ${Math.ceil(bytes / 1024)} KB; Heroku allows at most 64 KB of keys and values per app`;
  return { file, line: 0, col: 0, severity: 'warning', code: 'config-too-large', message, hint: 'move large values (certificates, JSON blobs) into files or an add-on' };
}
