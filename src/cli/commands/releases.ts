// `dyno releases`: the releases of a running `dyno start --slug`, newest first (heroku releases).
import path from 'node:path';
import type { Command } from 'commander';
import { resolveAppRoot } from '../../app/load-app.js';
import { formatReleases } from '../../deploy/release-lines.js';
import { requestRunning } from '../request-running.js';
import { addRootOptions, type AppOptions } from '../options.js';

export function registerReleases(program: Command): void {
  const cmd = program.command('releases').description('list the releases of `dyno start --slug` (version, commit, author, time, status)');
  addRootOptions(cmd)
    .option('--json', 'print the releases as JSON')
    .action(async (opts: AppOptions & { json?: boolean }) => {
      const reply = await requestRunning(opts, { verb: 'releases' });
      const app = path.basename(resolveAppRoot({ cwd: process.cwd(), root: opts.root, procfile: opts.procfile }));
      process.stdout.write(opts.json ? `${JSON.stringify(reply.releases, null, 2)}\n` : formatReleases(app, reply.releases, Date.now()));
    });
}
