// One run of a dyno: `bash -c <command>` (Heroku's shell; a lone command is exec'd in place, so the
// app is the run's root process) as leader of its own session and process group, marked with
// DYNO_RUN_ID, stdin an open pipe that never carries data, stdout/stderr → LineSplitter → LogLines.
// The only place that spawns a dyno (a Launcher may wrap the argv: --ephemeral). A run has ended when its root has exited, its last process
// (found by group, descendants and marker) is gone, and its pipes are drained.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { systemClock } from '../core/clock.js';
import type { ExitInfo, LogSink } from '../core/types.js';
import { exitInfo } from '../core/signals.js';
import { LineSplitter } from '../logs/line-splitter.js';
import { dynoNotice } from '../logs/log-line.js';
import { AppLine } from '../logs/app-line.js';
import { RUN_MARKER, runMembers, send, signalRun, type ProcessTable, type RunRef } from './kill-tree.js';
import { RunTracker } from './run-tracker.js';
import { defaultShell, type Shell } from './shell.js';
import type { Launcher } from './launcher.js';
import type { Watchdog } from './watchdog.js';

/** Options of spawnChild. */
export interface ChildOptions {
  /** Dyno name put on every log line (`web.1`). */
  dyno: string;
  /** Shell string run with `<shell> -c`. */
  command: string;
  /** Working directory (the app root). */
  cwd: string;
  /** The complete environment of the child (DYNO_RUN_ID is added). */
  env: Record<string, string>;
  bus: LogSink;
  /** The shell that runs the command; default bash when on PATH, else /bin/sh. */
  shell?: Shell;
  /** Finds the run's processes and tells when they are gone; default a private one. */
  tracker?: RunTracker;
  /** Holds the child's group and marker while it lives, so it dies even if the manager is SIGKILLed. */
  watchdog?: Watchdog;
  /** Once the last process is gone, how long to wait for the output pipes to close (a holder that wiped its marker) before giving up. Default 1000. */
  drainMs?: number;
  /** Wraps the argv spawned (dyno start --ephemeral) and hears when the run has ended. Default: spawn as is. */
  launcher?: Launcher;
}

/** Status reported when the shell itself could not be started. */
const SPAWN_FAILED: ExitInfo = { code: 127, signal: null, status: 127 };

export class Child {
  /** Pid of the run's root (the app itself when bash exec'd it), also the pgid of the whole run; 0 if spawning failed. */
  readonly pid: number;
  /** The run's marker value (DYNO_RUN_ID). */
  readonly runId: string;
  /** An open pipe to the run's stdin; nothing is written unless someone (dyno connect) does. Closed when the run ends. */
  readonly stdin: Writable | null;
  /** The root's exit, once it has exited. */
  exit: ExitInfo | null = null;
  /** Resolves when the root process has exited (other processes and output may linger). */
  readonly exited: Promise<ExitInfo>;
  /** Resolves when the root has exited and no process of the run is left. */
  readonly gone: Promise<void>;
  /** Resolves once the run is gone and its output has been flushed as lines; with the root's exit. */
  readonly ended: Promise<ExitInfo>;
  readonly tracker: RunTracker;
  private settle!: (exit: ExitInfo) => void;
  private settleExit!: (exit: ExitInfo) => void;
  private settleGone!: () => void;
  private finished = false;
  private isGone = false;
  private pipesClosed = false;
  /** Set by sweep(): the signal sent to whatever of the run is left, every poll round until it is gone. */
  private sweeping: NodeJS.Signals | null = null;
  /** Pids that got this run's one SIGTERM (null until a SIGTERM was sent). */
  private termed: Set<number> | null = null;

  /** True once `ended` has resolved. */
  get hasEnded(): boolean {
    return this.finished;
  }

  /** True once `gone` has resolved. */
  get hasGone(): boolean {
    return this.isGone;
  }

  /** The run as the process table sees it. */
  get run(): RunRef {
    return { root: this.pid, pgid: this.pid, runId: this.runId };
  }

  constructor(
    private readonly handle: ChildProcess,
    private readonly options: ChildOptions & { runId: string; tracker: RunTracker },
  ) {
    this.pid = handle.pid ?? 0;
    this.runId = options.runId;
    this.tracker = options.tracker;
    this.stdin = handle.stdin;
    this.stdin?.on('error', () => undefined); // EPIPE once the run is gone: nobody reads any more
    this.ended = new Promise((resolve) => (this.settle = resolve));
    this.exited = new Promise((resolve) => (this.settleExit = resolve));
    this.gone = new Promise((resolve) => (this.settleGone = resolve));
    this.pipe(handle.stdout, 'stdout');
    this.pipe(handle.stderr, 'stderr');
    handle.on('error', (err) => this.onError(err));
    handle.on('exit', (code, signal) => this.onExit(exitInfo(code, signal)));
    handle.on('close', () => {
      this.pipesClosed = true;
      this.finish();
    });
    if (this.pid) options.watchdog?.register(this.run);
  }

  /**
   * Send `signal` once to every process of the run; returns the pids signalled. After a SIGTERM, a
   * process that appears later outside the run's group (forked after the snapshot, then setsid) gets
   * its one SIGTERM in the next poll round.
   */
  signal(signal: NodeJS.Signals, options: { table?: ProcessTable } = {}): number[] {
    if (!this.pid || this.isGone) return [];
    const pids = this.tracker.signal([this.run], signal, options.table)[0] ?? [];
    if (signal === 'SIGTERM') this.termed = new Set([...(this.termed ?? []), ...pids]);
    return pids;
  }

  /** Send `signal` to what is left of the run now and every poll round until it is gone (SIGKILL sweeps). */
  sweep(signal: NodeJS.Signals): void {
    this.sweeping = signal;
    this.signal(signal);
  }

  // One splitter per stream; lines (their bytes as read) go to the bus as they complete. While the bus's
  // gate is paused (stdout stalled), the pipes are not read.
  private pipe(stream: Readable | null, name: 'stdout' | 'stderr'): void {
    if (!stream) return;
    const { bus, dyno } = this.options;
    const splitter = new LineSplitter({ onSlice: (chunk, start, end, ts) => bus.publish(new AppLine(ts, dyno, name, chunk, start, end)) });
    stream.on('data', (chunk: Buffer) => splitter.write(chunk));
    stream.on('end', () => splitter.end());
    stream.on('error', () => splitter.end());
    const gate = bus.gate;
    if (!gate) return;
    const follow = (paused: boolean): void => {
      splitter[paused ? 'pause' : 'resume']();
      if (paused) stream.pause();
      else stream.resume();
    };
    const unwatch = gate.watch(follow);
    stream.once('close', unwatch);
    if (gate.paused) follow(true);
  }

  private onError(err: Error): void {
    if (this.pid) return; // an error on a running child's pipes; 'exit' still comes
    const { bus, dyno } = this.options;
    bus.publish(dynoNotice(systemClock.now(), `could not start ${this.options.shell?.path}: ${err.message}`, { dyno, stream: 'stderr' }));
    this.exit = SPAWN_FAILED;
    this.settleExit(SPAWN_FAILED);
    this.markGone();
  }

  // The root exited: the run lasts until its last process is gone; then the pipes get drainMs to close
  // (a holder that wiped its marker may keep them open forever).
  private onExit(exit: ExitInfo): void {
    this.exit = exit;
    this.settleExit(exit);
    void this.tracker.whenGone(this.run, (table) => this.onRound(table)).then(() => this.markGone());
  }

  // A poll round while the run lingers: SIGKILL sweeps, or the one SIGTERM for newcomers outside the group.
  private onRound(table: ProcessTable): void {
    if (this.sweeping) return void signalRun(this.run, this.sweeping, table);
    if (!this.termed) return;
    for (const pid of runMembers(this.run, table)) {
      if (this.termed.has(pid) || table.pgids.get(pid) === this.run.pgid) continue;
      this.termed.add(pid);
      send(pid, 'SIGTERM');
    }
  }

  private markGone(): void {
    this.isGone = true;
    this.settleGone();
    if (this.pipesClosed || !this.pid) return this.finish();
    // While output is stalled (the pipes are paused, not read) the unread tail is not a reason to give up.
    let timer: NodeJS.Timeout;
    const arm = (): void => {
      timer = setTimeout(() => {
        if (this.options.bus.gate?.paused) return arm();
        this.handle.stdout?.destroy();
        this.handle.stderr?.destroy();
        this.pipesClosed = true;
        this.finish();
      }, this.options.drainMs ?? 1000);
    };
    arm();
    void this.ended.then(() => clearTimeout(timer));
  }

  private finish(): void {
    if (!this.exit || !this.isGone || !this.pipesClosed && this.pid !== 0 || this.finished) return;
    this.finished = true;
    this.stdin?.destroy();
    if (this.pid) this.options.watchdog?.unregister(this.run);
    this.settle(this.exit);
  }
}

/**
 * How a dyno's command is run: `<shell> -c <command>` (one place, so a launcher can wrap it). bash gets
 * --norc: its stdin is a socket here, and bash reads ~/.bashrc when stdin is a socket ("run by sshd").
 */
export function childArgv(shell: Shell, command: string): [string, string[]] {
  return [shell.path, shell.bash ? ['--norc', '-c', command] : ['-c', command]];
}

/** Start one run of a dyno's command. */
export function spawnChild(options: ChildOptions): Child {
  const tracker = options.tracker ?? new RunTracker();
  const runId = tracker.newRunId();
  const shell = options.shell ?? defaultShell();
  const [file, args] = childArgv(shell, options.command);
  const launch = options.launcher?.({ argv: [file, ...args], dyno: options.dyno, cwd: options.cwd }) ?? { file, args };
  const handle = spawn(launch.file, launch.args, {
    cwd: options.cwd,
    env: { ...options.env, [RUN_MARKER]: runId },
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const child = new Child(handle, { ...options, shell, runId, tracker });
  if (launch.ended) void child.ended.then(launch.ended);
  return child;
}
