// `dyno rollback [vN]`: a new release of an earlier slug, the formation restarted onto it (heroku rollback).
import type { Command } from 'commander';
import { DynoError } from '../../core/errors.js';
import { requestRunning } from '../request-running.js';
import { addRootOptions, type AppOptions } from '../options.js';

/** `v3` or `3` → 3. */
export function parseReleaseVersion(text: string): number {
  const m = /^v?(\d+)$/.exec(text.trim());
  if (!m || Number(m[1]) < 1) throw new DynoError('USAGE', `expected a release such as v3, got "${text}"`);
  return Number(m[1]);
}

export function registerRollback(program: Command): void {
  const cmd = program
    .command('rollback')
    .description('restart the formation of `dyno start --slug` on an earlier release, as a new release')
    .argument('[release]', 'the release to roll back to (v3); default: the one before the current');
  addRootOptions(cmd).action(async (release: string | undefined, opts: AppOptions) => {
    const version = release === undefined ? undefined : parseReleaseVersion(release);
    const reply = await requestRunning(opts, { verb: 'rollback', version }, { timeoutMs: Infinity });
    const r = reply.release;
    process.stdout.write(`Rolling back to ${r.description.replace('Rollback to ', '')}... done, v${r.version}\n`);
  });
}
