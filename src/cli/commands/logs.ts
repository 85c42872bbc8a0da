// `dyno logs [-t] [-n N] [--dyno web.1] [-p web] [-s app|heroku] [--format …]`: recent lines of the running
// dyno start (its ring buffer); -t keeps following. -d is the app directory, as for every command. On a
// terminal the lines look as `dyno start` prints them (pretty, coloured); piped, Logplex lines (heroku).
import { Option, type Command } from 'commander';
import { requestRunning } from '../request-running.js';
import { DynoError } from '../../core/errors.js';
import type { LogLine } from '../../core/types.js';
import { Printer, type LogFormat } from '../../logs/printer.js';
import { resolveColorLevel } from '../../logs/color-level.js';
import { addRootOptions, type AppOptions } from '../options.js';

interface LogsOptions extends AppOptions {
  tail?: boolean;
  num: string;
  dyno?: string;
  processType?: string;
  ps?: string;
  source?: 'app' | 'heroku';
  format?: LogFormat;
  color?: boolean;
}

export function registerLogs(program: Command): void {
  const cmd = program.command('logs').description('show recent log lines of the running dyno start; -t follows');
  addRootOptions(cmd)
    .option('-t, --tail', 'keep following new lines')
    .option('-n, --num <lines>', 'how many recent lines', '100')
    .option('--dyno-name, --dyno <dyno>', 'only this dyno (web.1, router)')
    .option('-p, --process-type <type>', 'only this process type (web)')
    .addOption(new Option('--ps <type>', 'old spelling of --process-type').hideHelp())
    .addOption(new Option('-s, --source <source>', 'only app output, or only heroku (dyno manager, router) lines').choices(['app', 'heroku']))
    .addOption(new Option('--format <format>', 'log format (default: pretty on a terminal, heroku when piped)').choices(['pretty', 'heroku', 'json']))
    .option('--no-color', 'no colours in the pretty format')
    .action(async (opts: LogsOptions) => {
      const num = Number(opts.num);
      if (!/^\d+$/.test(opts.num) || num > 1_000_000) throw new DynoError('USAGE', `-n expects a number of lines, got "${opts.num}"`);
      const stop = new AbortController();
      const isTTY = process.stdout.isTTY === true;
      const printer = new Printer({
        out: process.stdout,
        format: opts.format ?? (isTTY ? 'pretty' : 'heroku'),
        colorLevel: resolveColorLevel({ flag: opts.color === false ? 'never' : undefined, env: process.env, isTTY }),
        timestamps: true,
        types: [],
        onBrokenPipe: () => stop.abort(), // `dyno logs -t | head`: stop at EPIPE
      });
      const print = (lines: LogLine[]): boolean => {
        for (const line of lines) printer.write(line);
        return true;
      };
      const query = { verb: 'logs' as const, num, dyno: opts.dyno, type: opts.processType ?? opts.ps, source: opts.source, follow: opts.tail === true };
      const printAll = (body: { lines?: unknown }): boolean => print(body.lines as LogLine[]);
      const onLine = opts.tail ? (line: LogLine) => print([line]) : undefined;
      const reply = await requestRunning(opts, query, { onLine, onReply: opts.tail ? printAll : undefined, signal: stop.signal });
      if (!opts.tail) printAll(reply);
      await printer.flush();
    });
}
