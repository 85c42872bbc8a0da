// One dyno's state machine (HEROKU.md §2.2–§2.6). It lives across child lifetimes: it owns at most one
// current Child (plus old ones being stopped during a restart), and its state changes only in transition().
import type { Clock, TimerHandle } from '../core/clock.js';
import type { DynoSpec, DynoState, LogSink } from '../core/types.js';
import { herokuLine } from '../logs/log-line.js';
import { spawnChild, type Child } from './child.js';
import { waitForReadiness } from './readiness.js';
import { nextCrashCount, nextRestartDelay, type Backoff } from './restart-policy.js';
import { stopChildren } from './shutdown.js';
import { StopRounds } from './stop-rounds.js';
import type { Launcher } from './launcher.js';
import type { DynoStatus, SupervisorEvent } from './supervisor.js';
import type { RunTracker } from './run-tracker.js';
import type { Shell } from './shell.js';
import type { Watchdog } from './watchdog.js';

/** Everything a dyno needs from its supervisor. */
export interface DynoOptions {
  spec: DynoSpec;
  /** Working directory of every child. */
  root: string;
  bus: LogSink;
  clock: Clock;
  restart: 'heroku' | 'never';
  /** --can-die: an exit with status 0 ends `complete` instead of `crashed` (and restart is `never`). */
  canDie?: boolean;
  backoff: Backoff;
  bootTimeoutMs: number;
  graceMs: number;
  watchdog?: Watchdog;
  /** Wraps each run's spawn (--ephemeral). */
  launcher?: Launcher;
  shell?: Shell;
  tracker?: RunTracker;
  /** Receives this dyno's state changes and exits. */
  emit(event: SupervisorEvent): void;
}

/** Heroku's line for a state change, or null where Heroku logs none (first start; the end of a stop). */
export function formatStateLine(from: DynoState, to: DynoState): string | null {
  if (from === 'down' || to === 'down') return null;
  return `State changed from ${from} to ${to === 'stopping' ? 'down' : to}`;
}

export class Dyno {
  state: DynoState = 'down';
  spec: DynoSpec;
  /** The current run, if any. */
  child: Child | null = null;
  /** Runs started after the first (crash restarts and manual restarts). */
  restarts = 0;
  /** Status of the last run that ended, null before any did. */
  lastExitStatus: number | null = null;
  private readonly retiring = new Set<Child>();
  private crashes = 0;
  private startedAt: number | null = null;
  private upAt: number | null = null;
  private retryTimer: TimerHandle | undefined;
  private probe: AbortController | null = null;
  private settleWaiters: Array<() => void> = [];
  /** Restart rounds (stopping the old run); hurried by the supervisor's second stop(). */
  private readonly rounds = new StopRounds();
  /** Set while the next run waits for whatever holds its $PORT (a retiring namesake, a web restart's old run) to be gone. */
  private waiting = false;

  constructor(private readonly o: DynoOptions) {
    this.spec = o.spec;
  }

  get name(): string {
    return this.spec.name;
  }

  /** First start; with `after`, `starting` at once but spawned only once `after` settles (a predecessor holding $PORT). */
  start(after?: Promise<unknown>): void {
    if (this.state !== 'down' || this.child) return;
    this.transition('starting');
    this.launchAfter(after);
  }

  /** Stop rounds of this dyno skip what is left of their grace period. */
  hurry(): void {
    this.rounds.hurry();
  }

  /**
   * Rolling restart: SIGTERM the old run and start the new one in the same tick (HEROKU.md §2.5), except
   * for web dynos, whose runs share one $PORT here (on Heroku they have their own containers): their new
   * run spawns once the old one is gone. Resolves when the old run is gone and the new one is up or
   * crashed. `line`: `Cycling` for daily cycling.
   */
  async restart(line = 'Restarting'): Promise<void> {
    if (this.state === 'stopping' || this.state === 'down' || this.waiting) return;
    this.cancelPending();
    this.crashes = 0;
    this.log(line);
    const old = this.child;
    this.child = null;
    this.transition('starting');
    let stopped: Promise<unknown> = Promise.resolve();
    if (old) {
      this.retiring.add(old);
      this.log('Stopping all processes with SIGTERM');
      stopped = this.rounds.run((hurry) => stopChildren([{ dyno: this.name, child: old }], { graceMs: this.o.graceMs, bus: this.o.bus, clock: this.o.clock, hurry }));
    }
    this.restarts++;
    this.launchAfter(this.spec.type === 'web' ? stopped : undefined);
    await Promise.all([stopped, this.settled()]);
  }

  /** Begin stopping: cancel pending restarts, go `stopping`; returns every child still to stop. */
  beginStop(announce: boolean): Child[] {
    if (this.state === 'stopping' || this.state === 'down') return [];
    this.cancelPending();
    this.transition('stopping');
    const children = [...(this.child ? [this.child] : []), ...this.retiring].filter((c) => !c.hasEnded);
    if (announce && children.length) this.log('Stopping all processes with SIGTERM');
    return children;
  }

  /** Every child of this dyno is gone. */
  finishStop(): void {
    this.transition('down');
  }

  /** Children still running (current and retiring). */
  children(): Child[] {
    return [...(this.child ? [this.child] : []), ...this.retiring].filter((c) => !c.exit);
  }

  status(): DynoStatus {
    const { name, type, port, command } = this.spec;
    const ended = this.state === 'crashed' || this.state === 'complete';
    return { name, type, state: this.state, pid: this.child?.pid || null, port, startedAt: this.child ? this.startedAt : null, restarts: this.restarts, command, ...(ended && this.lastExitStatus !== null ? { exitStatus: this.lastExitStatus } : {}) };
  }

  // Spawn now, or once `after` settles unless the dyno was stopped meanwhile.
  private launchAfter(after?: Promise<unknown>): void {
    if (!after) return this.launch();
    this.waiting = true;
    const go = (): void => {
      this.waiting = false;
      if (this.state === 'starting' && !this.child) this.launch();
    };
    void after.then(go, go);
  }

  // Spawn one run; web dynos are up when $PORT accepts, others at once.
  private launch(): void {
    this.log(`Starting process with command \`${this.spec.command}\``);
    const { bus, watchdog, shell, tracker, launcher } = this.o;
    const child = spawnChild({ dyno: this.name, command: this.spec.command, cwd: this.spec.cwd ?? this.o.root, env: this.spec.env, bus, watchdog, shell, tracker, launcher });
    this.child = child;
    this.startedAt = this.o.clock.now();
    // The dyno is over when its command exits unasked: so is whatever the command left behind.
    void child.exited.then(() => this.child === child && this.state !== 'stopping' && child.sweep('SIGKILL'));
    void child.ended.then(() => this.onEnded(child));
    if (this.spec.type === 'web') void this.awaitBind(child);
    else this.transition('up');
  }

  // Readiness probe; on timeout R10 + SIGKILL → crash.
  private async awaitBind(child: Child): Promise<void> {
    const probe = new AbortController();
    this.probe = probe;
    const timeoutMs = Math.max(0, this.o.bootTimeoutMs - (this.o.clock.now() - (this.startedAt ?? 0)));
    const result = await waitForReadiness({ port: this.spec.port, timeoutMs, clock: this.o.clock, signal: probe.signal });
    if (this.probe === probe) this.probe = null;
    if (this.child !== child || this.state !== 'starting' || result === 'aborted') return;
    if (result === 'up') return this.transition('up');
    this.log(`Error R10 (Boot timeout) -> Web process failed to bind to $PORT within ${this.o.bootTimeoutMs / 1000} seconds of launch`);
    this.log('Stopping process with SIGKILL');
    child.signal('SIGKILL');
  }

  // A run ended: log it; if it was the current run and nobody asked for it, that is a crash.
  private onEnded(child: Child): void {
    const exit = child.exit!;
    this.retiring.delete(child);
    this.log(`Process exited with status ${exit.status}`);
    if (child === this.child) this.lastExitStatus = exit.status;
    const crashed = child === this.child && (this.state === 'up' || this.state === 'starting');
    if (child === this.child) this.child = null;
    const upForMs = this.upAt === null ? 0 : this.o.clock.now() - this.upAt;
    if (crashed) {
      this.probe?.abort();
      this.transition(this.o.canDie && exit.status === 0 ? 'complete' : 'crashed');
    }
    this.o.emit({ type: 'exited', dyno: this.name, exit, crashed });
    if (crashed && this.state === 'crashed') this.scheduleRestart(upForMs);
  }

  // Heroku policy: first restart at once, then exponential backoff; `never` leaves it crashed.
  private scheduleRestart(upForMs: number): void {
    if (this.o.restart === 'never') return;
    this.crashes = nextCrashCount(this.crashes, upForMs, this.o.backoff);
    const delay = nextRestartDelay(this.crashes, this.o.backoff);
    const relaunch = (): void => {
      this.retryTimer = undefined;
      if (this.state !== 'crashed') return;
      this.restarts++;
      this.transition('starting');
      this.launch();
    };
    if (delay === 0) relaunch();
    else this.retryTimer = this.o.clock.setTimeout(relaunch, delay);
  }

  private cancelPending(): void {
    this.o.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.probe?.abort();
    this.probe = null;
  }

  // Resolves when the dyno is no longer `starting`.
  private settled(): Promise<void> {
    if (this.state !== 'starting') return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push(resolve));
  }

  private transition(to: DynoState): void {
    const from = this.state;
    if (from === to) return;
    this.state = to;
    this.upAt = to === 'up' ? this.o.clock.now() : null;
    const line = formatStateLine(from, to);
    if (line) this.log(line);
    this.o.emit({ type: 'state-changed', dyno: this.name, spec: this.spec, from, to });
    if (from === 'starting') for (const wake of this.settleWaiters.splice(0)) wake();
  }

  private log(text: string): void {
    this.o.bus.publish(herokuLine(this.o.clock.now(), this.name, text));
  }
}
