// `dyno ps [--json]`: the running formation's dynos, from the control socket of `dyno start`.
import type { Command } from 'commander';
import { requestRunning } from '../request-running.js';
import { formatPs } from '../../control/format-ps.js';
import { addRootOptions, type AppOptions } from '../options.js';

export function registerPs(program: Command): void {
  const cmd = program.command('ps').description('list the dynos of the running dyno start: state, pid, port, uptime, restarts, memory');
  addRootOptions(cmd)
    .option('--json', 'print { dynos, formation } as JSON')
    .action(async (opts: AppOptions & { json?: boolean }) => {
      const reply = await requestRunning(opts, { verb: 'ps' });
      process.stdout.write(opts.json ? `${JSON.stringify(reply, null, 2)}\n` : formatPs(reply.dynos, reply.formation));
    });
}
