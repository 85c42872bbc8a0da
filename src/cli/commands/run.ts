// `dyno run <command…> | <type> [args…]`: a one-off dyno with the app's env, attached to the terminal.
import type { Command } from 'commander';
import { ExitRequest } from '../../core/errors.js';
import { addAppOptions } from '../options.js';
import { addEphemeralOptions } from '../ephemeral-options.js';
import { applyForemanDefaults } from '../foreman-defaults.js';
import type { RunOptions } from '../run-command.js';

export function registerRun(program: Command): void {
  const cmd = program
    .command('run')
    .description('run a one-off command with the app\'s env (DYNO=run.N); a process type name runs its Procfile command')
    .argument('<command...>', 'a shell command, or a process type followed by extra arguments');
  addEphemeralOptions(addAppOptions(cmd))
    .passThroughOptions()
    .action(async (words: string[], opts: RunOptions) => {
      applyForemanDefaults(opts, { cwd: process.cwd(), givenByUser: () => false, keys: ['root', 'procfile', 'env'] }); // PORT only with -p, as before
      const { runCommand } = await import('../run-command.js');
      const code = await runCommand(words, opts);
      if (code !== 0) throw new ExitRequest(code);
    });
}
