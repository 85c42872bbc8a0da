// The commander program: global behaviour, then one register* per command module.
import { Command, Option } from 'commander';
import { VERSION } from '../core/version.js';
import { registerCheck } from './commands/check.js';
import { registerStart } from './commands/start.js';
import { registerRun } from './commands/run.js';
import { registerPs } from './commands/ps.js';
import { registerScale } from './commands/scale.js';
import { registerRestart } from './commands/restart.js';
import { registerStop } from './commands/stop.js';
import { registerLogs } from './commands/logs.js';
import { registerExport } from './commands/export.js';
import { registerDashboard } from './commands/dashboard.js';
import { registerReleases } from './commands/releases.js';
import { registerRollback } from './commands/rollback.js';
import { registerLoad } from './commands/load.js';
import { registerCompletion } from './commands/completion.js';
import { registerConnect } from './commands/connect.js';

export { CommanderError } from 'commander';

// commander's "error: …" as dyno's one line: `dyno: …`, the value's control characters escaped.
function commanderErrorLine(text: string): string {
  const message = text.trim().replace(/^error: /, '');
  return `dyno: ${message.replace(/[\x00-\x1f\x7f]/g, (c) => JSON.stringify(c).slice(1, -1))}\n`;
}

/** Build a fresh program; errors surface as exceptions (exitOverride), never as process.exit. */
export function buildProgram(): Command {
  const program = new Command('dyno')
    .description("Heroku's runtime on your laptop: Procfile, dynos, logs and router")
    .version(VERSION, '-V, --version')
    .option('--debug', 'print stack traces for errors')
    .enablePositionalOptions()
    .showHelpAfterError('  hint: run with --help for usage')
    .configureOutput({ outputError: (text, write) => write(commanderErrorLine(text)) })
    .exitOverride();
  registerCheck(program);
  registerStart(program);
  registerRun(program);
  registerPs(program);
  registerScale(program);
  registerRestart(program);
  registerStop(program);
  registerLogs(program);
  registerExport(program);
  registerDashboard(program);
  registerReleases(program);
  registerRollback(program);
  registerLoad(program);
  registerConnect(program);
  registerCompletion(program);
  // `--debug` also after the command name (`dyno check --debug`); main.ts reads it from argv.
  for (const cmd of program.commands) cmd.addOption(new Option('--debug').hideHelp());
  return program;
}
