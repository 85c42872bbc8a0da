// `dyno dashboard`: ask the running dyno start for its dashboard URL (starting the dashboard if it
// was not started with --dashboard), print it, and open it in a browser when a display is there.
import type { Command } from 'commander';
import { requestRunning } from '../request-running.js';
import { addRootOptions, type AppOptions } from '../options.js';
import { openBrowser } from '../open-browser.js';

export function registerDashboard(program: Command): void {
  const cmd = program.command('dashboard').description('open the dashboard of the running dyno start (started on demand): scale with sliders, metrics, logs');
  addRootOptions(cmd)
    .option('--no-open', 'only print the URL')
    .action(async (opts: AppOptions & { open: boolean }) => {
      const { url } = await requestRunning(opts, { verb: 'dashboard' });
      process.stdout.write(`${url}\n`);
      if (opts.open) openBrowser(url, process.env);
    });
}
