// The composition root of `dyno start`: load the app, then wire LogBus → Printer, Supervisor,
// Router and Watcher, wait for the formation to end, and tear everything down in order.
import os from 'node:os';
import { loadApp } from '../app/load-app.js';
import { parseFormation, resolveFormation } from '../app/formation.js';
import { expandFormation, resolveBasePort } from '../app/dyno-specs.js';
import { formatProblem } from '../app/problem.js';
import { DynoError } from '../core/errors.js';
import type { DynoSpec, LogLine } from '../core/types.js';
import { LogBus } from '../logs/log-bus.js';
import { Printer } from '../logs/printer.js';
import { resolveColorLevel, type ColorFlag } from '../logs/color-level.js';
import { openLogFile } from '../logs/log-file.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { startWatchdog } from '../supervisor/watchdog.js';
import { Router } from '../router/router.js';
import { ControlServer } from '../control/server.js';
import { FormationControl } from '../control/formation-control.js';
import { Dashboard, resolveDashboardPort } from '../dashboard/dashboard.js';
import { dashboardTokenPath } from '../dashboard/dashboard-token.js';
import { assertPortsFree } from './assert-ports-free.js';
import { releaseFailed, resolveDynoManagerOptions } from './dyno-manager-options.js';
import { parseDuration } from './parse-duration.js';
import type { StartOptions } from './commands/start.js';

/** A notice from dyno itself. */
function notice(text: string, stream: 'stdout' | 'stderr' = 'stdout'): LogLine {
  return { ts: Date.now(), source: 'dyno', dyno: '', stream, text };
}

// "--color" flag as commander gives it (string, or true/false from --no-color) → ColorFlag.
function colorFlag(value: string | boolean | undefined): ColorFlag | undefined {
  if (value === false) return 'never';
  if (value === true || value === undefined) return undefined;
  return value as ColorFlag;
}

// "1s,5m" → backoff delays.
function parseBackoff(value: string | undefined): { initialMs: number; maxMs: number; resetAfterMs: number } | undefined {
  if (value === undefined) return undefined;
  const [initial, max, extra] = value.split(',');
  if (!initial || !max || extra !== undefined) {
    throw new DynoError('USAGE', `--backoff expects <initial>,<max> such as 1s,5m, got "${value}"`);
  }
  const initialMs = parseDuration(initial, '--backoff');
  const maxMs = parseDuration(max, '--backoff');
  if (maxMs < initialMs) throw new DynoError('USAGE', `--backoff: the cap ${max} is below the first delay ${initial}`);
  return { initialMs, maxMs, resetAfterMs: 60_000 };
}

// "router http://127.0.0.1:5006 → web.1 :5007, web.2 :5008; worker.1 :5107"
function describeFormation(specs: DynoSpec[], router: { host: string; port: number } | undefined): string {
  const web = specs.filter((s) => s.type === 'web').map((s) => `${s.name} :${s.port}`);
  const others = specs.filter((s) => s.type !== 'web').map((s) => `${s.name} :${s.port}`);
  const head = router ? `router http://${router.host}:${router.port} → ${web.join(', ') || '(no web dynos)'}` : web.join(', ');
  return [head, others.join(', ')].filter(Boolean).join('; ');
}

/** Run the formation until it stops; returns dyno's exit code. */
export async function startFormation(tokens: string[], opts: StartOptions): Promise<number> {
  const app = loadApp({ cwd: process.cwd(), root: opts.root, procfile: opts.procfile, envFiles: opts.env, shellEnv: process.env });
  const formation = resolveFormation(parseFormation([...tokens, ...(opts.formation ?? [])]), app.types);
  const basePort = resolveBasePort({ flag: opts.port, fileEnv: app.fileEnv, shellEnv: app.shellEnv });
  const specs = expandFormation({ types: app.types, formation, env: app.env, basePort, router: opts.router });
  if (specs.length === 0) {
    throw new DynoError('BAD_FORMATION', 'the formation runs no dynos', { hint: 'name at least one process type with a count above 0' });
  }
  const graceMs = parseDuration(opts.timeout, '--timeout');
  const routerTimeoutMs = parseDuration(opts.routerTimeout, '--router-timeout');
  const bootTimeoutMs = parseDuration(opts.bootTimeout, '--boot-timeout');
  const backoff = parseBackoff(opts.backoff);
  const { release, ...manager } = resolveDynoManagerOptions(opts, app);
  const dashboardPort = resolveDashboardPort(opts.dashboardPort, basePort);
  const control = await ControlServer.listen(app.root); // a second dyno start of this app stops here, before anything starts
  await assertPortsFree([...specs.map((s) => s.port), ...(opts.dashboard && dashboardPort !== 0 ? [dashboardPort] : [])]);

  const bus = new LogBus();
  const colorLevel = resolveColorLevel({ flag: colorFlag(opts.color), env: process.env, isTTY: process.stdout.isTTY === true });
  const printer = new Printer({
    out: process.stdout,
    format: opts.format,
    colorLevel,
    timestamps: opts.timestamp,
    types: app.types.map((t) => t.name),
    onBrokenPipe: () => void supervisor.stop(),
  });
  for (const spec of release ? [release, ...specs] : specs) printer.reserveName(spec.name);
  bus.subscribe((line) => printer.write(line));
  const logFile = opts.logFile ? openLogFile(opts.logFile) : undefined;
  if (logFile) bus.subscribe((line) => logFile.publish(line));
  for (const problem of app.problems) bus.publish(notice(formatProblem(problem), 'stderr'));

  const watchdog = await startWatchdog({ graceMs });
  const supervisor = new Supervisor({
    root: app.root,
    bus,
    graceMs,
    restart: opts.restart ? 'heroku' : 'never',
    backoff,
    bootTimeoutMs,
    watchdog,
    ...manager,
  });
  let router: Router | undefined;
  try {
    if (opts.router) {
      router = new Router({ host: opts.routerHost, port: basePort, bus, timeoutMs: routerTimeoutMs });
      await router.listen();
      const r = router;
      supervisor.on((event) => {
        if (event.type === 'state-changed') r.update(supervisor.backends());
      });
    }
  } catch (err) {
    await watchdog.close();
    await control.close();
    await printer.flush();
    throw err;
  }
  bus.publish(notice(describeFormation(specs, opts.router ? { host: opts.routerHost, port: basePort } : undefined)));

  const signals = trapSignals(supervisor);
  if (release) await supervisor.release(release); // the formation waits for it (HEROKU.md §2.9)
  const expand = (f: typeof formation): DynoSpec[] => expandFormation({ types: app.types, formation: f, env: app.env, basePort, router: opts.router });
  const target = { bus, control: new FormationControl({ supervisor, bus, types: app.types, formation, expand }) };
  const dashboard = new Dashboard({
    root: app.root, tokenFile: dashboardTokenPath(control.path), port: dashboardPort, target, types: app.types, formation,
    onChange: (fn) => supervisor.on((e) => e.type === 'state-changed' && fn()),
    announce: (url) => printer.write(notice(`dashboard ${url}`)), // the terminal only: never the log history or --log-file
  });
  control.attach({ ...target, dashboard: () => dashboard.ensure() });
  supervisor.apply(specs);
  if (opts.dashboard) dashboard.ensure().catch((err: Error) => printer.write(notice(`dashboard: ${err.message}`, 'stderr')));
  router?.update(supervisor.backends());
  const watcher = opts.watch ? await startWatching(opts, app.root, supervisor, bus) : undefined;

  const result = await supervisor.done;
  await dashboard.close();
  await control.close();
  await watcher?.close();
  await router?.close();
  await printer.flush();
  await logFile?.close();
  await watchdog.close();
  signals.release();
  if (result.reason === 'release-failed') throw releaseFailed(result.exitCode);
  if (result.reason === 'exited') return result.exitCode;
  return result.exitCode === 0 ? 0 : 128 + (os.constants.signals[signals.received() ?? 'SIGTERM'] ?? 15);
}

// SIGINT/SIGTERM/SIGHUP stop the formation (a second one kills at once); SIGUSR1/2 are forwarded.
function trapSignals(supervisor: Supervisor): { release(): void; received(): NodeJS.Signals | undefined } {
  let first: NodeJS.Signals | undefined;
  const stop = (sig: NodeJS.Signals): void => {
    first ??= sig;
    void supervisor.stop();
  };
  const forward = (sig: NodeJS.Signals): void => supervisor.signalAll(sig);
  const stopping: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forwarded: NodeJS.Signals[] = ['SIGUSR1', 'SIGUSR2'];
  for (const sig of stopping) process.on(sig, stop);
  for (const sig of forwarded) process.on(sig, forward);
  return {
    received: () => first,
    release: () => {
      for (const sig of stopping) process.off(sig, stop);
      for (const sig of forwarded) process.off(sig, forward);
    },
  };
}

// -w: load chokidar only when asked.
async function startWatching(opts: StartOptions, root: string, supervisor: Supervisor, bus: LogBus): Promise<{ close(): Promise<void> }> {
  const { startWatcher } = await import('../watch/watcher.js');
  const paths = Array.isArray(opts.watch) && opts.watch.length > 0 ? opts.watch : [root];
  return startWatcher({ root, paths, ignore: opts.watchIgnore ?? [], bus, onChange: () => supervisor.restart() });
}
