// `dyno load [path]` and `dyno load --sweep web=1..4`: drive the running formation's router with
// autocannon and report what the router saw; a sweep scales the formation live per count and restores it.
import { Option, type Command } from 'commander';
import type { LoadCommandOptions } from '../../load/load-command.js';

export function registerLoad(program: Command): void {
  program
    .command('load')
    .description('drive the running router with autocannon and report what the router saw; --sweep web=1..4 measures each count')
    .argument('[path]', 'the path to request through the router', '/')
    .option('-c, --connections <n>', 'concurrent connections (default 10; with --rate, the rate)')
    .option('-d, --duration <time>', 'how long to measure each run (default 10s)')
    .option('-n, --requests <n>', 'measure this many requests instead of a duration')
    .option('--rate <rps>', 'at most this many requests per second over all connections')
    .option('-m, --method <method>', 'HTTP method', 'GET')
    .option('-H, --header <header>', "a request header 'Name: value' (repeatable)", (v: string, prev: string[] = []) => [...prev, v])
    .option('-b, --body <text>', 'request body')
    .option('--warmup <time>', 'load this long before measuring (0: none)', '2s')
    .option('--sweep <type=from..to>', 'scale the type to each count in turn, measure each, then restore the formation')
    .option('--json', 'print the report as JSON')
    .option('--csv', 'print the sweep as CSV (one line per count)')
    .option('--ndjson', 'print progress and the report as events, one JSON object per line (as the dashboard reads them)')
    .addOption(new Option('--stop-on-stdin-end', 'the end of stdin stops the run as Ctrl-C does (the dashboard runs dyno load so)').hideHelp())
    .option('--root <dir>', "app directory of the running dyno start (default: the Procfile's directory with -f, else the current directory)")
    .option('-f, --procfile <file>', 'its Procfile (locates the app directory)')
    .action(async (path: string, opts: LoadCommandOptions) => {
      const { runLoadCommand } = await import('../../load/load-command.js'); // autocannon loads only here
      await runLoadCommand(path, opts);
    });
}

