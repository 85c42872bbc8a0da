// The composition root of `dyno start`: load the app, then wire LogBus → Printer, Supervisor, Router,
// control socket, dashboard and watcher; wait for the formation to end; tear down in reverse order.
// Whatever fails on the way, everything already started is stopped again (no half-started formation).
import { loadApp, type App } from '../app/load-app.js';
import { formatProblem } from '../app/problem.js';
import { systemClock } from '../core/clock.js';
import { exitStatus } from '../core/signals.js';
import type { DynoSpec, LogLine } from '../core/types.js';
import { LogBus } from '../logs/log-bus.js';
import { dynoNotice } from '../logs/log-line.js';
import { Printer } from '../logs/printer.js';
import { resolveColorLevel } from '../logs/color-level.js';
import { openLogFile } from '../logs/log-file.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { startWatchdog } from '../supervisor/watchdog.js';
import { Router } from '../router/router.js';
import { ControlServer } from '../control/server.js';
import { FormationControl } from '../control/formation-control.js';
import { Dashboard } from '../dashboard/dashboard.js';
import { dashboardTokenPath } from '../dashboard/dashboard-token.js';
import { assertPortsFree } from './assert-ports-free.js';
import { toLoadAppOptions } from './options.js';
import { releaseFailed } from './dyno-manager-options.js';
import { resolveStartSettings, type StartSettings } from './start-settings.js';
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
    types: app.types.map((t) => t.name),
    onBrokenPipe: () => brokenPipe(),
    onPressure: (blocked) => bus.gate.set(blocked), // stdout stalled: stop reading the dynos' pipes
  });
  closers.push(() => printer.flush());
  for (const spec of s.release ? [s.release, ...s.specs] : s.specs) printer.reserveName(spec.name);
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
  const app = loadApp(toLoadAppOptions(opts, { cwd: process.cwd(), shellEnv: process.env }));
  const s = resolveStartSettings(tokens, opts, app);
  const closers: Closers = [];
  try {
    return await runFormation(opts, app, s, closers);
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

// Start everything in order, registering how to undo each step; wait for the formation to end.
async function runFormation(opts: StartOptions, app: App, s: StartSettings, closers: Closers): Promise<number> {
  const control = await ControlServer.listen(app.root); // a second dyno start of this app stops here, before anything starts
  closers.push(() => control.close());
  await assertPortsFree([...s.specs.map((d) => d.port), ...(opts.dashboard && s.dashboardPort !== 0 ? [s.dashboardPort] : [])]);
  const { bus, printer, onBrokenPipe } = openLogs(opts, app, s, closers);
  const watchdog = await startWatchdog({ graceMs: s.graceMs });
  closers.push(() => watchdog.close());
  const supervisor = new Supervisor({
    root: app.root,
    bus,
    graceMs: s.graceMs,
    restart: opts.restart ? 'heroku' : 'never',
    backoff: s.backoff,
    bootTimeoutMs: s.bootTimeoutMs,
    watchdog,
    memory: s.memory,
    cycleMs: s.cycleMs,
  });
  let ended = false;
  const done = supervisor.done.finally(() => (ended = true));
  closers.push(async () => {
    if (!ended) await supervisor.stop(); // start-up failed after dynos began: stop them all again
  });
  onBrokenPipe(() => void supervisor.stop());
  const router = opts.router ? new Router({ host: opts.routerHost, port: s.basePort, bus, timeoutMs: s.routerTimeoutMs }) : undefined;
  if (router) {
    await router.listen();
    closers.push(() => router.close());
    supervisor.on((event) => event.type === 'state-changed' && router.update(supervisor.backends()));
  }
  bus.publish(notice(describeFormation(s.specs, router ? { host: opts.routerHost, port: s.basePort } : undefined)));

  const signals = trapSignals(supervisor);
  closers.push(() => signals.release());
  if (s.release) await supervisor.release(s.release); // the formation waits for it (HEROKU.md §2.9)
  const target = { bus, control: new FormationControl({ supervisor, bus, types: app.types, formation: s.formation, expand: s.expand }) };
  const dashboard = new Dashboard({
    root: app.root, tokenFile: dashboardTokenPath(control.path), port: s.dashboardPort, target, types: app.types, formation: s.formation,
    onChange: (fn) => supervisor.on((e) => e.type === 'state-changed' && fn()),
    announce: (url) => printer.write(notice(`dashboard ${url}`)), // the terminal only: never the log history or --log-file
  });
  closers.push(() => dashboard.close());
  control.attach({ ...target, dashboard: () => dashboard.ensure() });
  supervisor.apply(s.specs);
  if (opts.dashboard) dashboard.ensure().catch((err: Error) => printer.write(notice(`dashboard: ${err.message}`, 'stderr')));
  router?.update(supervisor.backends());
  if (opts.watch) {
    const watcher = await startWatching(opts, app.root, supervisor, bus);
    closers.push(() => watcher.close());
  }

  const result = await done;
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
