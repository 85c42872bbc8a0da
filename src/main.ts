// Entry point: the only place that prints errors and exits. Everything else is loaded on demand,
// so `dyno --version` and the watchdog start as fast as Node itself allows.

// The version as core/version.ts states it, here without importing it: `dyno --version` then loads no chunk.
declare const DYNO_VERSION: string | undefined;
const VERSION: string = typeof DYNO_VERSION === 'string' ? DYNO_VERSION : '0.0.0-dev';

// A message stays one line whatever value it quotes: control characters are escaped as in JSON.
// (Multi-line reports such as a Procfile's errors are built with \n on purpose and keep them.)
function oneLine(text: string): string {
  return text.replace(/[\x00-\x09\x0b-\x1f\x7f]|\n(?![^\n]*:\d+:\d+: )/g, (c) => JSON.stringify(c).slice(1, -1));
}

// Print a DynoError as `dyno: message` (+ hint), anything else as a bug with its stack; return the exit code.
// (core/errors.js is imported only here: `dyno --version` then loads no chunk at all.)
async function report(err: unknown, debug: boolean, isCommanderError: (e: unknown) => boolean): Promise<number> {
  const { DynoError, ExitRequest } = await import('./core/errors.js');
  if (err instanceof ExitRequest) return err.exitCode;
  if (isCommanderError(err)) return (err as { exitCode: number }).exitCode === 0 ? 0 : 2;
  if (err instanceof DynoError) {
    process.stderr.write(`dyno: ${oneLine(err.message)}\n`);
    if (err.hint) process.stderr.write(`  hint: ${oneLine(err.hint)}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  process.stderr.write(`dyno: internal error (a bug, please report it)\n${err instanceof Error ? err.stack : String(err)}\n`);
  return 70;
}

async function main(argv: string[]): Promise<number> {
  if (argv[2] === '__watchdog') {
    const { runWatchdog } = await import('./supervisor/watchdog.js');
    await runWatchdog();
    return 0;
  }
  if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
    (await import('./cli/write-stdout.js')).writeStdout(`${VERSION}\n`);
    return 0;
  }
  const { buildProgram, CommanderError } = await import('./cli/program.js');
  try {
    await (await buildProgram(argv)).parseAsync(argv);
    return 0;
  } catch (err) {
    return await report(err, argv.includes('--debug'), (e) => e instanceof CommanderError);
  }
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
