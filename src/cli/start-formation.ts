// The composition root of `dyno start`: load the app, then wire LogBus → Printer, Supervisor, Router,
// control socket, dashboard and watcher; wait for the formation to end; tear down in reverse order.
// Whatever fails on the way, everything already started is stopped again (no half-started formation).
import { loadApp, type App } from '../app/load-app.js';
import { formatProblem } from '../app/problem.js';
import { systemClock } from '../core/clock.js';
import { exitStatus } from '../core/signals.js';
import type { DynoSpec, Formation, LogLine } from '../core/types.js';
import { LogBus } from '../logs/log-bus.js';
import { dynoNotice } from '../logs/log-line.js';
import { Printer } from '../logs/printer.js';
import { resolveColorLevel } from '../logs/color-level.js';
import { openLogFile } from '../logs/log-file.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { launchWatchdog } from '../supervisor/watchdog.js';
import { RunTracker, runMarkerPrefix } from '../supervisor/run-tracker.js';
import { findShell, shellNotice } from '../supervisor/shell.js';
import { processSourceFrom } from './process-source.js';
import type { Router } from '../router/router.js';
import { ControlServer } from '../control/server.js';
import { FormationControl } from '../control/formation-control.js';
import { DynoConnector } from '../control/dyno-connector.js';
import { OneOffRegistry } from '../control/one-off-registry.js';
import { Dashboard } from '../dashboard/dashboard.js';
import { LoadBoard } from '../load/load-board.js';
import { routerAddressOf } from '../load/load-stats.js';
import { assertPortsFree, assertRouterBindable } from './assert-ports-free.js';
import { toLoadAppOptions } from './options.js';
import { releaseFailed } from './dyno-manager-options.js';
import { resolveStartSettings, type StartSettings } from './start-settings.js';
import { expandFormation } from '../app/dyno-specs.js';
import type { Deployer } from '../deploy/deployer.js';
import { FormationMoments } from './formation-moments.js';
import type { StartOptions } from './commands/start.js';

/** A notice from dyno itself, stamped now. */
function notice(text: string, stream: 'stdout' | 'stderr' = 'stdout'): LogLine {
  return dynoNotice(systemClock.now(), text, { stream });
}

// "router http://127.0.0.1:5006 → web.1 :5007, web.2 :5008; worker.1 :5107"
function describeFormation(specs: DynoSpec[], router: { host: string; port: number } | undefined): string {
  const web = specs.filter((s) => s.type === 'web').map((s) => `${s.name} :${s.port}`);
  const others = specs.filter((s) => s.type !== 'web').map((s) => `${s.name} :${s.port}`);
  const head = router ? `router http://${router.host}:${router.port} → ${web.join(', ') || '(no web dynos)'}` : web.join(', ');
  return [head, others.join(', ')].filter(Boolean).join('; ');
}

// Every dyno name the run may log under: each type at the dyno limit (`web.100`), release, a one-off
// (`run.1234`), the router and dyno itself.
function namesThatCanAppear(app: App, s: StartSettings): string[] {
  const types = app.types.filter((t) => t.name !== 'release').map((t) => `${t.name}.${s.maxDynos}`);
  return [...types, ...(s.release ? [s.release.name] : []), 'run.0000', 'router', 'dyno'];
}

/** Undo steps, run in reverse order on the way out, whether the formation ended or start-up failed. */
type Closers = Array<() => Promise<void> | void>;

// The log pipeline: LogBus → Printer (stdout) and the optional --log-file.
function openLogs(opts: StartOptions, app: App, s: StartSettings, closers: Closers): { bus: LogBus; printer: Printer; onBrokenPipe(fn: () => void): void } {
  let brokenPipe = (): void => undefined;
  const bus = new LogBus();
  const printer = new Printer({
    out: process.stdout,
    format: opts.format,
    colorLevel: resolveColorLevel({ flag: s.color, env: process.env, isTTY: process.stdout.isTTY === true }),
    timestamps: opts.timestamp,
    prefix: !opts.raw && opts.prefix !== false,
    types: app.types.map((t) => t.name),
    onBrokenPipe: () => brokenPipe(),
    onPressure: (blocked) => bus.gate.set(blocked), // stdout stalled: stop reading the dynos' pipes
  });
  closers.push(() => printer.flush());
  // The name column is fixed at start: wide enough for every name that can appear in this run.
  for (const name of namesThatCanAppear(app, s)) printer.reserveName(name);
  bus.subscribe((line) => printer.write(line));
  const logFile = opts.logFile ? openLogFile(opts.logFile, { onError: (message) => process.stderr.write(`dyno: ${message}\n`) }) : undefined;
  if (logFile) {
    closers.push(() => logFile.close());
    bus.subscribe((line) => logFile.publish(line));
  }
  for (const problem of app.problems) bus.publish(notice(formatProblem(problem), 'stderr'));
  return { bus, printer, onBrokenPipe: (fn) => (brokenPipe = fn) };
}

/** Run the formation until it stops; returns dyno's exit code. */
export async function startFormation(tokens: string[], opts: StartOptions): Promise<number> {
  const base = loadApp(toLoadAppOptions(opts, { cwd: process.cwd(), shellEnv: process.env }));
  const s0 = resolveStartSettings(tokens, opts, base);
  const closers: Closers = [];
  try {
    const control = await ControlServer.listen(base.root); // a second dyno start of this app stops here, before anything starts
    closers.push(() => control.close());
    const deployer = opts.slug || opts.build !== undefined ? await (await import('./build-first-release.js')).buildFirstRelease(opts, base, s0) : undefined;
    const app = deployer ? deployer.app : base;
    const s = deployer ? resolveStartSettings(tokens, opts, app) : s0;
    return await runFormation({ opts, app, s, control, deployer }, closers);
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

/** What runFormation runs: the app (the slug's with --slug), its settings, the control server. */
interface FormationRun {
  opts: StartOptions;
  app: App;
  s: StartSettings;
  control: ControlServer;
  deployer?: Deployer;
}

// Start everything in order, registering how to undo each step; wait for the formation to end.
async function runFormation(run: FormationRun, closers: Closers): Promise<number> {
  const { opts, app, s, control, deployer } = run;
  await assertPortsFree([...s.specs.map((d) => d.port), ...(opts.dashboard && s.dashboardPort !== 0 ? [s.dashboardPort] : [])]);
  if (opts.router) await assertRouterBindable(opts.routerHost.trim(), s.basePort);
  const { bus, printer, onBrokenPipe } = openLogs(opts, app, s, closers);
  const source = processSourceFrom(process.env);
  const shell = findShell(app.env.PATH);
  const shellLine = shellNotice(shell);
  if (shellLine) bus.publish(notice(shellLine, 'stderr'));
  // Not waited for here: it holds every run by our marker prefix from the start (watchdog.ts); checked once the dynos are spawned.
  const watchdog = launchWatchdog({ graceMs: s.graceMs, source, markerPrefix: runMarkerPrefix(), onReplaced: (text) => bus.publish(notice(text, 'stderr')) });
  closers.push(() => watchdog.close());
  const eph = opts.ephemeral ? (await import('../ephemeral/ephemeral-launcher.js')).setupEphemeral({ flag: opts.ephemeralMode ?? 'auto', roots: [app.root], env: process.env, report: (text) => bus.publish(notice(text, 'stderr')) }) : undefined;
  if (eph) {
    bus.publish(notice(eph.notice));
    closers.push(() => eph.drain()); // after the dynos stop, before the printer's last flush
  }
  const supervisor = new Supervisor({
    root: app.root,
    bus,
    graceMs: s.graceMs,
    restart: opts.restart ? 'heroku' : 'never',
    exitPolicies: s.exitPolicies,
    backoff: s.backoff,
    bootTimeoutMs: s.bootTimeoutMs,
    watchdog,
    shell,
    tracker: new RunTracker({ source }),
    memory: s.memory,
    memoryByType: s.memoryByType,
    cycleMs: s.cycleMs,
    launcher: eph?.launcher,
  });
  let ended = false;
  const done = supervisor.done.finally(() => (ended = true));
  closers.push(async () => {
    if (!ended) await supervisor.stop(); // start-up failed after dynos began: stop them all again
  });
  onBrokenPipe(() => void supervisor.stop());
  // Loaded only when there is a router (node:http and the router's code: ~2 MB of a --no-router formation's memory).
  const router = opts.router ? new (await import('../router/router.js')).Router({ host: opts.routerHost, port: s.basePort, bus, timeoutMs: s.routerTimeoutMs }) : undefined;
  if (router) {
    await router.listen();
    closers.push(() => router.close());
    supervisor.on((event) => event.type === 'state-changed' && router.update(supervisor.backends()));
  }
  bus.publish(notice(describeFormation(s.specs, router ? { host: opts.routerHost, port: s.basePort } : undefined)));

  const signals = trapSignals(supervisor);
  closers.push(() => signals.release());
  if (s.release) await supervisor.release(s.release); // the formation waits for it (HEROKU.md §2.9)
  const routerUrl = router ? `http://${opts.routerHost}:${s.basePort}` : undefined;
  const expand = deployer ? (f: Formation): DynoSpec[] => deployer.expand(f) : s.expand;
  const target = {
    bus,
    control: new FormationControl({ supervisor, bus, types: app.types, formation: s.formation, expand, sizeOf: s.sizeOf, maxDynos: s.maxDynos }),
    deploy: deployer,
    router: router ? routerAddressOf({ host: opts.routerHost, port: s.basePort, timeoutMs: s.routerTimeoutMs }) : undefined,
    loads: new LoadBoard(),
  };
  deployer?.attach({
    supervisor, bus, graceMs: s.graceMs, watchdog, launcher: eph?.launcher, formation: () => target.control.ps().formation,
    expand: (a, f) => expandFormation({ types: a.types, formation: f, env: a.env, basePort: s.basePort, router: opts.router }),
  });
  const dashboard = new Dashboard({
    root: app.root, controlPath: control.path, port: s.dashboardPort, target, types: app.types, formation: s.formation, appUrl: routerUrl,
    onChange: (fn) => supervisor.on((e) => e.type === 'state-changed' && fn()),
    announce: (url) => printer.write(notice(`dashboard ${url}`)), // the terminal only: never the log history or --log-file
  });
  closers.push(() => dashboard.close());
  const connector = new DynoConnector({ list: () => supervisor.list(), stdinOf: (name) => supervisor.stdinOf(name) });
  const oneOffs = new OneOffRegistry({ bus, clock: systemClock });
  control.attach({ ...target, dashboard: () => dashboard.ensure(), connector, oneOffs });
  if (opts.watch) {
    // Watching before the first spawn: a change made as soon as a dyno is up must not fall before the watcher is ready.
    const watcher = await startWatching(opts, app.root, supervisor, bus);
    closers.push(() => watcher.close());
  }
  const moments = new FormationMoments({ supervisor, bus, clock: systemClock, routerUrl });
  supervisor.apply(s.specs);
  moments.arm();
  await watchdog.ready; // a watchdog that never came up fails the start (the closers stop the dynos again)
  if (opts.dashboard) dashboard.ensure().catch((err: Error) => printer.write(notice(`dashboard: ${err.message}`, 'stderr')));
  router?.update(supervisor.backends());
  if (deployer && !ended) {
    closers.push(await deployer.watch(), () => deployer.stop());
    bus.publish(notice('--slug: every new commit is a deploy (build, release phase, rolling restart); see `dyno releases`, `dyno rollback`'));
  }

  const result = await done;
  if (result.reason !== 'release-failed') moments.finish();
  if (result.reason === 'release-failed') throw releaseFailed(result.exitCode);
  if (result.reason === 'exited') return result.exitCode;
  return result.exitCode === 0 ? 0 : exitStatus(null, signals.received() ?? 'SIGTERM');
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
