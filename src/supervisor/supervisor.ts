// The dyno manager: owns every Dyno of the formation, starts and scales them, restarts, forwards
// signals, and stops everything (shutdown.ts). Emits state changes and exits to its listeners.
import type { Writable } from 'node:stream';
import { systemClock, type Clock } from '../core/clock.js';
import { DynoError } from '../core/errors.js';
import type { Backend, DynoSpec, DynoState, ExitInfo, LogSink } from '../core/types.js';
import { dynoNotice } from '../logs/log-line.js';
import { Dyno } from './dyno.js';
import { exitPolicyOf, type ExitPolicy } from './exit-policy.js';
import { DynoWatch, type WatchSettings } from './dyno-watch.js';
import { ReleasePhase } from './release-phase.js';
import { defaultBackoff, type Backoff } from './restart-policy.js';
import { stopChildren } from './shutdown.js';
import { RetiringDynos } from './retiring-dynos.js';
import { RunTracker } from './run-tracker.js';
import type { Shell } from './shell.js';
import { StopRounds } from './stop-rounds.js';
import type { Launcher } from './launcher.js';
import type { Watchdog } from './watchdog.js';

/** What happens to dynos, for the router, the control socket and tests. */
export type SupervisorEvent =
  | { type: 'state-changed'; dyno: string; spec: DynoSpec; from: DynoState; to: DynoState }
  /** `crashed` is false for exits we caused (stop, restart, scale-down). */
  | { type: 'exited'; dyno: string; exit: ExitInfo; crashed: boolean };

/** One row of `dyno ps`. */
export interface DynoStatus {
  name: string;
  type: string;
  state: DynoState;
  /** Pid (and pgid) of the current run's root process, null when none runs. */
  pid: number | null;
  port: number;
  /** When the current run started (ms since the epoch), null when none runs. */
  startedAt: number | null;
  restarts: number;
  command: string;
  /** Status of the run that ended, while the dyno stays `crashed` or `complete`. */
  exitStatus?: number;
  /** Process-tree RSS of the current run in MB at the last memory sample (only with --size). */
  rssMb?: number;
  /** The dyno's memory quota in MB (only with --size). */
  memoryQuotaMb?: number;
}

/** The dyno manager's settings; memory, --cycle and the bind check: see WatchSettings. */
export interface SupervisorOptions extends WatchSettings {
  /** Working directory of every dyno. */
  root: string;
  bus: LogSink;
  /** Fake clock in backoff/grace tests. */
  clock?: Clock;
  /** Time between SIGTERM and SIGKILL when stopping (`-t/--timeout`). */
  graceMs: number;
  /** `heroku`: crashed dynos restart with backoff. `never`: the first dyno to exit stops the formation. */
  restart: 'heroku' | 'never';
  /** Per-type exit policy (--can-die, --auto-restart, --exit-with); types not listed follow `restart`. */
  exitPolicies?: Readonly<Record<string, ExitPolicy>>;
  /** Crash backoff; defaults 1000, 300000, 60000. */
  backoff?: Backoff;
  /** Web readiness deadline before R10. Default 60000. */
  bootTimeoutMs?: number;
  /** Registers every run (group and marker), so the dynos die even if we are SIGKILLed. */
  watchdog?: Watchdog;
  /** Wraps every run's spawn, release phase included (--ephemeral). */
  launcher?: Launcher;
  /** The shell that runs each command (`bash -c`, found at the composition root); default bash on PATH, else /bin/sh. */
  shell?: Shell;
  /** Finds each run's processes (its process source chosen at the composition root). */
  tracker?: RunTracker;
}

/**
 * How supervision ended. `stopped`: stop() was called; exitCode 0 if every process exited within the
 * grace period, 1 if any had to be SIGKILLed (R12). `exited`: under restart `never`, the first dyno to
 * exit stopped the formation; exitCode is that dyno's status (128+signal for signals).
 */
export interface SupervisorResult {
  exitCode: number;
  /** `release-failed`: the release phase exited non-zero (exitCode) and no dyno was started. */
  reason: 'stopped' | 'exited' | 'release-failed';
}

export class Supervisor {
  readonly done: Promise<SupervisorResult>;
  private readonly dynos = new Map<string, Dyno>();
  private readonly retiring = new RetiringDynos();
  private readonly listeners = new Set<(e: SupervisorEvent) => void>();
  /** Scale-down, release and final stop rounds; a second stop() hurries them (and every dyno's restarts). */
  private readonly rounds = new StopRounds();
  private readonly clock: Clock;
  private readonly tracker: RunTracker;
  private readonly watch: DynoWatch;
  private releasing: ReleasePhase | null = null;
  /** The last formation asked for while the release phase runs, applied when it succeeds. */
  private held: DynoSpec[] | null = null;
  private stopping: Promise<void> | null = null;
  private firstExit: ExitInfo | null = null;
  private resolveDone!: (result: SupervisorResult) => void;

  constructor(private readonly o: SupervisorOptions) {
    this.clock = o.clock ?? systemClock;
    this.tracker = o.tracker ?? new RunTracker();
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.watch = new DynoWatch({ ...o, clock: this.clock, dynos: () => this.dynos.values(), find: (name) => this.dynos.get(name) });
  }

  /** Listen to events; returns the unsubscribe function. */
  on(listener: (e: SupervisorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Make the formation match `specs`: stop (highest numbers first, all in one round) those not listed,
   * start new ones. A new dyno whose namesake is still stopping waits for it to be gone: locally both
   * would share one $PORT. Held during the release phase.
   */
  apply(specs: DynoSpec[]): void {
    if (this.stopping) return;
    if (this.releasing) return void (this.held = specs);
    this.watch.start();
    const wanted = new Set(specs.map((s) => s.name));
    const gone = [...this.dynos.values()].filter((d) => !wanted.has(d.name)).sort((a, b) => b.spec.instance - a.spec.instance);
    if (gone.length) {
      for (const dyno of gone) this.dynos.delete(dyno.name);
      this.retiring.add(gone, this.stopDynos(gone, true));
    }
    for (const spec of specs) {
      const existing = this.dynos.get(spec.name);
      if (existing) existing.spec = spec; // used from the next run on
      else this.startDyno(spec, this.retiring.gone(spec.name));
    }
  }

  /** The stdin of a formation dyno's current run (`dyno connect`); null when none runs. */
  stdinOf(name: string): Writable | null {
    const child = this.dynos.get(name)?.child;
    return child && !child.exit ? child.stdin : null;
  }

  list(): DynoStatus[] {
    return this.allDynos().map((d) => ({ ...d.status(), ...this.watch.statusOf(d.name) }));
  }

  /**
   * Run the release phase (HEROKU.md §2.9); apply() calls meanwhile are held, and the last one applied
   * once it exits 0 (resolves true). Otherwise supervision ends (done: `release-failed` with its
   * status) and nothing starts. False too when stop() interrupted it.
   */
  async release(spec: DynoSpec): Promise<boolean> {
    if (this.stopping) return false;
    const phase = new ReleasePhase({ spec, root: this.o.root, bus: this.o.bus, clock: this.clock, watchdog: this.o.watchdog, launcher: this.o.launcher, shell: this.o.shell, tracker: this.tracker });
    this.releasing = phase;
    const exit = await phase.run();
    if (this.stopping) return false;
    this.releasing = null;
    const held = this.held;
    this.held = null;
    if (exit.status === 0) {
      if (held) this.apply(held);
      return true;
    }
    this.stopping = Promise.resolve();
    this.resolveDone({ exitCode: exit.status, reason: 'release-failed' });
    return false;
  }

  /** Web dynos with their state, for the router. */
  backends(): Backend[] {
    return [...this.dynos.values()].filter((d) => d.spec.type === 'web').map((d) => ({ name: d.name, port: d.spec.port, state: d.state }));
  }

  /** Rolling restart of all dynos, a type (`web`) or one dyno (`web.1`), one dyno after the other. */
  async restart(selector?: string): Promise<void> {
    if (this.stopping) return;
    const chosen = [...this.dynos.values()].filter((d) => !selector || d.name === selector || d.spec.type === selector);
    if (selector && !chosen.length) {
      throw new DynoError('UNKNOWN_TYPE', `no dyno matches "${selector}"`, { hint: 'see `dyno ps` for the running dynos' });
    }
    for (const dyno of chosen) await dyno.restart();
  }

  /** Forward a signal (SIGUSR1/SIGUSR2) once to every process of every dyno (but not to shell wrappers, which it would kill). */
  signalAll(signal: NodeJS.Signals): void {
    const children = this.allDynos().flatMap((d) => d.children());
    this.tracker.forward(children.filter((c) => c.pid).map((c) => c.run), signal);
  }

  /** Stop everything gracefully; a second call while stopping SIGKILLs at once. */
  stop(): Promise<void> {
    if (this.stopping) {
      this.rounds.hurry();
      for (const dyno of this.allDynos()) dyno.hurry();
      return this.stopping;
    }
    this.stopping = this.stopAll();
    return this.stopping;
  }

  private async stopAll(): Promise<void> {
    this.o.bus.publish(dynoNotice(this.clock.now(), 'Stopping all processes with SIGTERM'));
    this.watch.stop();
    const releasing = this.releasing;
    const release = releasing ? this.rounds.run((hurry) => releasing.stop({ graceMs: this.o.graceMs, hurry })) : [];
    const results = await Promise.all([this.stopDynos([...this.dynos.values()], false), ...this.retiring.stops(), release]);
    const killed = results.flat().length > 0;
    const exit = this.firstExit;
    this.resolveDone(exit ? { exitCode: exit.status, reason: 'exited' } : { exitCode: killed ? 1 : 0, reason: 'stopped' });
  }

  // Stop some dynos together; resolves with the dynos that needed SIGKILL.
  private async stopDynos(dynos: Dyno[], announce: boolean): Promise<string[]> {
    const targets = dynos.flatMap((d) => d.beginStop(announce).map((child) => ({ dyno: d.name, child })));
    const result = await this.rounds.run((hurry) => stopChildren(targets, { graceMs: this.o.graceMs, bus: this.o.bus, clock: this.clock, hurry }));
    for (const dyno of dynos) dyno.finishStop();
    return result.killed;
  }

  // `after`: a same-name predecessor's stop round; the new run is spawned only once it is over.
  private startDyno(spec: DynoSpec, after?: Promise<unknown>): void {
    const { root, bus, graceMs, watchdog, launcher, shell } = this.o;
    const timing = { clock: this.clock, backoff: this.o.backoff ?? defaultBackoff, bootTimeoutMs: this.o.bootTimeoutMs ?? 60_000 };
    const policy = exitPolicyOf(spec.type, this.o.exitPolicies, this.o.restart);
    const restart = policy === 'restart' ? 'heroku' : 'never';
    const dyno = new Dyno({ spec, root, bus, restart, canDie: policy === 'can-die', graceMs, watchdog, launcher, shell, tracker: this.tracker, ...timing, emit: (event) => this.onEvent(event) });
    this.dynos.set(spec.name, dyno);
    dyno.start(after);
  }

  // Fan out; under `stop-all` (`never`, --exit-with), the first crash stops the whole formation with that dyno's status.
  private onEvent(event: SupervisorEvent): void {
    this.watch.observe(event);
    for (const listener of this.listeners) listener(event);
    const type = event.type === 'exited' ? this.dynos.get(event.dyno)?.spec.type : undefined;
    if (type !== undefined && event.type === 'exited' && event.crashed && exitPolicyOf(type, this.o.exitPolicies, this.o.restart) === 'stop-all' && !this.stopping) {
      this.firstExit = event.exit;
      void this.stop();
    }
  }

  // Formation dynos and the scaled-down ones still stopping.
  private allDynos(): Dyno[] {
    return [...this.dynos.values(), ...this.retiring.dynos()];
  }
}
