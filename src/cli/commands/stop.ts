// `dyno stop <type|dyno>`: stop dynos as Heroku's ps:stop does; the dyno manager starts them again (HEROKU.md §2.5).
import type { Command } from 'commander';
import { requestRunning } from '../request-running.js';
import { DynoError } from '../../core/errors.js';
import { addRootOptions, addTargetOptions, targetsOf, type AppOptions, type TargetOptions } from '../options.js';

export function registerStop(program: Command): void {
  const cmd = program
    .command('stop')
    .description('stop a type or a dyno; like Heroku, the manager then starts it again (to scale down, use `dyno scale`)')
    .argument('[target]', 'a process type (web) or a dyno (web.1)');
  addTargetOptions(addRootOptions(cmd), 'stop').action(async (target: string | undefined, opts: AppOptions & TargetOptions) => {
    const given = targetsOf(target, opts);
    if (given.length !== 1) throw new DynoError('USAGE', 'Please specify a process type or dyno name to stop.', { hint: 'e.g. `dyno stop web.1` or `dyno stop worker`' });
    const reply = await requestRunning(opts, { verb: 'stop', target: given[0]! }, { timeoutMs: Infinity });
    process.stdout.write(`Stopped ${reply.dynos.join(', ')}; the dyno manager starts them again\n`);
  });
}
