// The commander program: global behaviour, then one register* per command module. Each command module
// is imported on demand (issue 13: start-up), so `dyno check` compiles the check command only; the
// whole set is registered, in this order, when the command line names no single known command
// (help, `dyno completion`, a typo to suggest a fix for).
import { Command, Option } from 'commander';
import { VERSION } from '../core/version.js';

export { CommanderError } from 'commander';

type Register = (program: Command) => void;

/** Each command's module, by the name it registers, in the order `dyno --help` lists them. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  check: async () => (await import('./commands/check.js')).registerCheck,
  start: async () => (await import('./commands/start.js')).registerStart,
  run: async () => (await import('./commands/run.js')).registerRun,
  ps: async () => (await import('./commands/ps.js')).registerPs,
  scale: async () => (await import('./commands/scale.js')).registerScale,
  restart: async () => (await import('./commands/restart.js')).registerRestart,
  stop: async () => (await import('./commands/stop.js')).registerStop,
  logs: async () => (await import('./commands/logs.js')).registerLogs,
  export: async () => (await import('./commands/export.js')).registerExport,
  dashboard: async () => (await import('./commands/dashboard.js')).registerDashboard,
  releases: async () => (await import('./commands/releases.js')).registerReleases,
  rollback: async () => (await import('./commands/rollback.js')).registerRollback,
  load: async () => (await import('./commands/load.js')).registerLoad,
  connect: async () => (await import('./commands/connect.js')).registerConnect,
  completion: async () => (await import('./commands/completion.js')).registerCompletion,
};

// commander's "error: …" as dyno's one line: `dyno: …`, the value's control characters escaped.
function commanderErrorLine(text: string): string {
  const message = text.trim().replace(/^error: /, '');
  return `dyno: ${message.replace(/[\x00-\x1f\x7f]/g, (c) => JSON.stringify(c).slice(1, -1))}\n`;
}

/** Commands that describe the whole program, so need every command registered. */
const DESCRIBE_ALL = new Set(['completion']);

// The one command to register: the first word after the global options, if it is one of ours.
function namedCommand(args: readonly string[]): string | undefined {
  const word = args.find((a) => !a.startsWith('-'));
  return word !== undefined && Object.hasOwn(COMMANDS, word) && !DESCRIBE_ALL.has(word) ? word : undefined;
}

/** Build a fresh program for `argv` (process.argv form); errors surface as exceptions (exitOverride), never as process.exit. */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('dyno')
    .description("Heroku's runtime on your laptop: Procfile, dynos, logs and router")
    .version(VERSION, '-V, --version')
    .option('--debug', 'print stack traces for errors')
    .enablePositionalOptions()
    .showHelpAfterError('  hint: run with --help for usage')
    .configureOutput({ outputError: (text, write) => write(commanderErrorLine(text)) })
    .exitOverride();
  const only = namedCommand(argv.slice(2));
  const names = only === undefined ? Object.keys(COMMANDS) : [only];
  const registers = await Promise.all(names.map((name) => COMMANDS[name]!()));
  for (const register of registers) register(program);
  // `--debug` also after the command name (`dyno check --debug`); main.ts reads it from argv.
  for (const cmd of program.commands) cmd.addOption(new Option('--debug').hideHelp());
  return program;
}
