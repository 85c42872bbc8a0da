// The commander program: global behaviour, then one register* per command module.
import { Command } from 'commander';
import { registerCheck } from './commands/check.js';
import { registerStart } from './commands/start.js';
import { registerRun } from './commands/run.js';

declare const DYNO_VERSION: string | undefined;

/** Build a fresh program; errors surface as exceptions (exitOverride), never as process.exit. */
export function buildProgram(): Command {
  const program = new Command('dyno')
    .description("Heroku's runtime on your laptop: Procfile, dynos, logs and router")
    .version(typeof DYNO_VERSION === 'string' ? DYNO_VERSION : '0.0.0-dev', '-V, --version')
    .option('--debug', 'print stack traces for errors')
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCheck(program);
  registerStart(program);
  registerRun(program);
  return program;
}
