// `dyno scale web=3 worker+1 clock-1`: change the running formation (Heroku's ps:scale grammar).
import type { Command } from 'commander';
import { formatFormation } from '../../app/formation.js';
import { requestRunning } from '../request-running.js';
import { addRootOptions, type AppOptions } from '../options.js';

export function registerScale(program: Command): void {
  const cmd = program
    .command('scale')
    .description('scale the running formation: web=3 (set), worker+1 / clock-1 (relative); no argument prints it')
    .argument('[changes...]', 'TYPE=N, TYPE+N or TYPE-N, several at once');
  addRootOptions(cmd).action(async (changes: string[], opts: AppOptions) => {
    const reply = await requestRunning(opts, { verb: 'scale', args: changes });
    process.stdout.write(`${formatFormation(reply.formation)}\n`);
  });
}
