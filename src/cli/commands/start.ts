// `dyno start [formation…]`: options only; the composition root is loaded lazily (start-formation.ts)
// so that `dyno --version` and `dyno check` never pay for http-proxy, chokidar or the supervisor.
import { Option, type Command } from 'commander';
import { ExitRequest } from '../../core/errors.js';
import { addAppOptions, addFormationOption, collectList, type AppOptions } from '../options.js';
import type { DynoManagerFlags } from '../dyno-manager-options.js';
import { addEphemeralOptions } from '../ephemeral-options.js';
import type { EphemeralFlag } from '../../ephemeral/ephemeral-launcher.js';
import { addExitPolicyOptions } from '../exit-policy-options.js';
import { applyForemanDefaults } from '../foreman-defaults.js';
import type { ExitPolicyFlags } from '../../supervisor/exit-policy.js';

/** Everything `dyno start` accepts, as commander hands it over. */
export interface StartOptions extends AppOptions, DynoManagerFlags, ExitPolicyFlags {
  formation?: string[];
  timeout: string;
  restart: boolean;
  backoff?: string;
  color?: string | boolean;
  timestamp: boolean;
  /** --raw / --no-prefix: only the dynos' text (honcho's --no-prefix, concurrently's --raw). */
  raw?: boolean;
  prefix: boolean;
  format: 'pretty' | 'heroku' | 'json';
  logFile?: string;
  watch?: boolean | string[];
  watchIgnore?: string[];
  router: boolean;
  routerHost: string;
  routerTimeout: string;
  bootTimeout: string;
  /** --dashboard: serve the dashboard from the start and print its URL. */
  dashboard?: boolean;
  /** --dashboard-port <port>: default the base port + 99; 0 picks a free port. */
  dashboardPort?: string;
  /** --ephemeral: each dyno run gets its own throw-away copy of the app directory. */
  ephemeral?: boolean;
  /** --ephemeral-mode (tests): force `overlay` or `report-only`. */
  ephemeralMode?: EphemeralFlag;
  /** --slug: run what a push would deploy (HEAD, built), release by release. */
  slug?: boolean;
  /** --build "<cmd>": the slug's build command instead of the buildpack's (implies --slug). */
  build?: string;
  /** --max-dynos <n>: lift Heroku's 100-dyno limit for a local simulation. */
  maxDynos?: string;
}

export function registerStart(program: Command): void {
  const cmd = program
    .command('start')
    .description('run every process type at its scale, multiplex their logs, route HTTP to the web dynos')
    .argument('[formation...]', 'process types and counts: web=2 worker, web=2,worker=1 or all=2');
  addExitPolicyOptions(addFormationOption(addAppOptions(cmd)))
    .option('-t, --timeout <seconds>', 'grace after SIGTERM before SIGKILL (Heroku: 30)', '5')
    .option('--no-restart', 'foreman semantics: the first dyno to exit stops everything, with its exit code')
    .option('--backoff <initial,max>', 'crash restart backoff: first delay and cap (e.g. 1s,5m)')
    .addOption(new Option('--color <when>', 'colour the output').choices(['auto', 'always', 'never']))
    .option('--no-color', 'same as --color never')
    .option('--no-timestamp', 'omit the time column')
    .option('--raw', 'print only what the dynos write: no time, name or separator (pretty format)')
    .option('--no-prefix', 'same as --raw')
    .addOption(new Option('--format <format>', 'log format').choices(['pretty', 'heroku', 'json']).default('pretty'))
    .option('--log-file <path>', 'also append every line, Heroku format, to this file')
    .option('-w, --watch [paths...]', 'restart the dynos when files change (default: the app root)')
    .option('--watch-ignore <globs>', 'more paths to ignore when watching (repeatable, comma lists)', collectList)
    .option('--no-router', "no router: dynos get foreman's ports from the base port")
    .option('--router-host <host>', 'address the router binds', '127.0.0.1')
    .option('--router-timeout <seconds>', 'first-byte cutoff before 503 + H12', '30')
    .option('--boot-timeout <seconds>', 'time a web dyno has to bind $PORT before R10', '60')
    .option('--no-release', 'skip the release phase (by default the `release` type runs first, once, as release.1)')
    .option('--size <size>', 'dyno size, for memory quotas (R14/R15): eco, basic, standard-1x, standard-2x, performance-m, performance-l')
    .addOption(new Option('--memory-quota <MB>', 'test only: memory quota in MB, R15 at twice it (implies sampling)').hideHelp())
    .option('--dashboard', 'serve the dashboard (scale, restart, metrics, logs in a browser) on 127.0.0.1 and print its URL')
    .option('--dashboard-port <port>', 'dashboard port (default: base port + 99; 0: any free port)')
    .option('--max-dynos <n>', "allow up to n dynos (default: Heroku's limit, 100), for scale simulations")
    .option('--cycle <duration>', 'restart each dyno after this long plus up to 15% jitter (Heroku cycles daily: 24h)');
  addEphemeralOptions(cmd)
    .option('--slug', 'run what `git push heroku` would deploy: HEAD built into a slug; each new commit is a new release')
    .option('--build <cmd>', 'with --slug: build with this command instead of the detected buildpack')
    .action(async (tokens: string[], opts: StartOptions, self: Command) => {
      const givenByUser = (name: string): boolean => self.getOptionValueSource(name) === 'cli';
      applyForemanDefaults(opts, { cwd: process.cwd(), givenByUser, hasFormationArgs: tokens.length > 0 });
      const { startFormation } = await import('../start-formation.js');
      const code = await startFormation(tokens, opts);
      if (code !== 0) throw new ExitRequest(code);
    });
}
