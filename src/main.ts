// Entry point: the only place that prints errors and exits.
import { CommanderError } from 'commander';
import { DynoError, ExitRequest } from './core/errors.js';
import { buildProgram } from './cli/program.js';
import { runWatchdog } from './supervisor/watchdog.js';

// Print a DynoError as `dyno: message` (+ hint), anything else as a bug with its stack.
function report(err: unknown, debug: boolean): number {
  if (err instanceof ExitRequest) return err.exitCode;
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  if (err instanceof DynoError) {
    process.stderr.write(`dyno: ${err.message}\n`);
    if (err.hint) process.stderr.write(`  hint: ${err.hint}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  process.stderr.write(`dyno: internal error (a bug, please report it)\n${err instanceof Error ? err.stack : String(err)}\n`);
  return 70;
}

async function main(argv: string[]): Promise<void> {
  if (argv[2] === '__watchdog') return runWatchdog();
  const debug = argv.includes('--debug');
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.exitCode = report(err, debug);
  }
}

void main(process.argv);
