// `dyno start`'s dyno-manager flags → typed settings: the release phase (--no-release), dyno sizes
// (--size, and the hidden test-only --memory-quota <MB>) and daily cycling (--cycle <duration>).
import { dynoEnv } from '../app/dyno-specs.js';
import { DynoError } from '../core/errors.js';
import type { DynoSpec, ProcessType } from '../core/types.js';
import { parseDynoSize, type MemoryLimits } from '../supervisor/dyno-size.js';
import { RELEASE_DYNO } from '../supervisor/release-phase.js';
import { parseDuration } from './parse-duration.js';

/** The flags as commander hands them over. */
export interface DynoManagerFlags {
  /** False with --no-release. */
  release?: boolean;
  /** --size eco|basic|standard-1x|standard-2x|performance-m|performance-l. */
  size?: string;
  /** Hidden --memory-quota <MB>: a tiny quota for tests (R15 at twice it). */
  memoryQuota?: string;
  /** --cycle <duration>. */
  cycle?: string;
}

/** What the flags mean for this app. */
export interface DynoManagerSettings {
  /** The release dyno to run first; absent without a `release` type or with --no-release. */
  release?: DynoSpec;
  /** Memory limits, only with --size or --memory-quota. */
  memory?: MemoryLimits;
  cycleMs?: number;
}

/** Resolve the flags; bad values throw USAGE (exit 2) before anything starts. */
export function resolveDynoManagerOptions(flags: DynoManagerFlags, app: { types: ProcessType[]; env: Record<string, string> }): DynoManagerSettings {
  const type = flags.release === false ? undefined : app.types.find((t) => t.name === 'release');
  const release = type && { name: RELEASE_DYNO, type: type.name, instance: 1, command: type.command, env: dynoEnv(app.env, RELEASE_DYNO), port: 0 };
  const quota = flags.memoryQuota === undefined ? undefined : /^\s*\d+(\.\d+)?\s*$/.test(flags.memoryQuota) ? Number(flags.memoryQuota) : NaN;
  if (quota !== undefined && !(quota > 0 && quota <= 1_048_576)) throw new DynoError('USAGE', `--memory-quota expects a number of MB above 0 (at most 1 TB), got ${JSON.stringify(flags.memoryQuota)}`);
  const memory = flags.size !== undefined || quota !== undefined ? parseDynoSize(flags.size, quota) : undefined;
  const cycleMs = flags.cycle === undefined ? undefined : parseDuration(flags.cycle, '--cycle');
  if (cycleMs === 0) throw new DynoError('USAGE', '--cycle expects a duration above 0, such as 24h or 30s');
  return { release, memory, cycleMs };
}

/** The error `dyno start` ends with when the release phase fails: its status becomes dyno's exit code. */
export function releaseFailed(status: number): DynoError {
  return new DynoError('RELEASE_FAILED', `release phase failed: ${RELEASE_DYNO} exited with status ${status}; no other dyno was started`, {
    exitCode: status,
    hint: 'fix the `release` command in the Procfile, or skip it with --no-release',
  });
}
