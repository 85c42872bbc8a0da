// `dyno restart [type|dyno]`: rolling restart of every dyno, a process type, or one dyno (ps:restart).
import type { Command } from 'commander';
import { requestRunning } from '../request-running.js';
import { DynoError } from '../../core/errors.js';
import { addRootOptions, addTargetOptions, targetsOf, type AppOptions, type TargetOptions } from '../options.js';

export function registerRestart(program: Command): void {
  const cmd = program
    .command('restart')
    .description('rolling restart (new run up, then the next dyno) of all dynos, a type or one dyno')
    .argument('[target]', 'a process type (web) or a dyno (web.1); default: every dyno');
  addTargetOptions(addRootOptions(cmd), 'restart').action(async (target: string | undefined, opts: AppOptions & TargetOptions) => {
    const given = targetsOf(target, opts);
    if (given.length > 1) throw new DynoError('USAGE', 'name one target: a process type or a dyno');
    const reply = await requestRunning(opts, { verb: 'restart', target: given[0] }, { timeoutMs: Infinity });
    process.stdout.write(`Restarted ${reply.dynos.join(', ') || 'no dynos'}\n`);
  });
}
