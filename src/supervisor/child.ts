// One OS process for one run of a dyno: `/bin/sh -c <command>` as leader of its own session and
// process group, stdin /dev/null, stdout/stderr → LineSplitter → LogLines. The only place that spawns a dyno.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { systemClock } from '../core/clock.js';
import type { ExitInfo, LogSink } from '../core/types.js';
import { exitInfo } from '../core/signals.js';
import { LineSplitter } from '../logs/line-splitter.js';
import { dynoNotice } from '../logs/log-line.js';
import { AppLine } from '../logs/app-line.js';
import { killTree, type KillTreeOptions } from './kill-tree.js';
import type { Watchdog } from './watchdog.js';

/** Options of spawnChild. */
export interface ChildOptions {
  /** Dyno name put on every log line (`web.1`). */
  dyno: string;
  /** Shell string run with `/bin/sh -c`. */
  command: string;
  /** Working directory (the app root). */
  cwd: string;
  /** The complete environment of the child. */
  env: Record<string, string>;
  bus: LogSink;
  /** Holds the child's process group while it lives, so it dies even if the manager is SIGKILLed. */
  watchdog?: Watchdog;
  /** After exit, how long to wait for the output pipes to close (escaped holders) before giving up. Default 1000. */
  drainMs?: number;
}

/** Status reported when /bin/sh itself could not be started. */
const SPAWN_FAILED: ExitInfo = { code: 127, signal: null, status: 127 };

export class Child {
  /** Pid of `/bin/sh`, also the pgid of the whole tree; 0 if spawning failed. */
  readonly pid: number;
  /** Set once the process has exited. */
  exit: ExitInfo | null = null;
  /** Resolves when the root process has exited (its tree and output may linger). */
  readonly exited: Promise<ExitInfo>;
  /** Resolves once the process has exited and its output has been flushed as lines. */
  readonly ended: Promise<ExitInfo>;
  private settle!: (exit: ExitInfo) => void;
  private settleExit!: (exit: ExitInfo) => void;
  private finished = false;
  private readonly pipes: Array<{ stream: Readable; splitter: LineSplitter }> = [];

  /** True once `ended` has resolved. */
  get hasEnded(): boolean {
    return this.finished;
  }

  constructor(
    private readonly handle: ChildProcess,
    private readonly options: ChildOptions,
  ) {
    this.pid = handle.pid ?? 0;
    this.ended = new Promise((resolve) => (this.settle = resolve));
    this.exited = new Promise((resolve) => (this.settleExit = resolve));
    this.pipe(handle.stdout, 'stdout');
    this.pipe(handle.stderr, 'stderr');
    handle.on('error', (err) => this.onError(err));
    handle.on('exit', (code, signal) => this.onExit(exitInfo(code, signal)));
    handle.on('close', () => this.finish());
    if (this.pid) options.watchdog?.register(this.pid);
  }

  /** Send `signal` to the whole tree (snapshot → group → each pid); returns the pids signalled. */
  signal(signal: NodeJS.Signals, options?: KillTreeOptions): number[] {
    return this.pid ? killTree(this.pid, signal, options) : [];
  }

  /** Stop reading the child's pipes (backpressure): it blocks in write(2) once the pipe fills. */
  pause(): void {
    for (const { stream, splitter } of this.pipes) {
      splitter.pause();
      stream.pause();
    }
  }

  /** Read the child's pipes again. */
  resume(): void {
    for (const { stream, splitter } of this.pipes) {
      splitter.resume();
      stream.resume();
    }
  }

  // One splitter per stream; lines (their bytes as read) go to the bus as they complete. While the bus's
  // gate is paused (stdout stalled), the pipes are not read.
  private pipe(stream: Readable | null, name: 'stdout' | 'stderr'): void {
    if (!stream) return;
    const { bus, dyno } = this.options;
    const splitter = new LineSplitter({ onLine: (bytes, ts) => bus.publish(new AppLine(ts, dyno, name, bytes)) });
    this.pipes.push({ stream, splitter });
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
    bus.publish(dynoNotice(systemClock.now(), `could not start /bin/sh: ${err.message}`, { dyno, stream: 'stderr' }));
    this.exit = SPAWN_FAILED;
    this.settleExit(SPAWN_FAILED);
    this.finish();
  }

  // A process that escaped the group may hold our pipes forever: stop waiting for them after drainMs.
  private onExit(exit: ExitInfo): void {
    this.exit = exit;
    this.settleExit(exit);
    const timer = setTimeout(() => {
      this.handle.stdout?.destroy();
      this.handle.stderr?.destroy();
      this.finish();
    }, this.options.drainMs ?? 1000);
    timer.unref();
    void this.ended.then(() => clearTimeout(timer));
  }

  private finish(): void {
    if (!this.exit || this.finished) return;
    this.finished = true;
    if (this.pid) this.options.watchdog?.unregister(this.pid);
    this.settle(this.exit);
  }
}

/** Start one run of a dyno's command. */
export function spawnChild(options: ChildOptions): Child {
  const handle = spawn('/bin/sh', ['-c', options.command], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Child(handle, options);
}
