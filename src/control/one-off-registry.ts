// One-off dynos (`dyno run`) in the formation's view (HEROKU.md §2.10): each `dyno run` of the app
// reports its start and its exit; they are listed by `dyno ps` as run.N and get Heroku's lifecycle
// lines in the formation's log. A `dyno run` killed before it could report its exit is seen as gone
// when its pid no longer exists.
import os from 'node:os';
import type { Clock } from '../core/clock.js';
import type { LogSink } from '../core/types.js';
import { herokuLine } from '../logs/log-line.js';
import type { DynoRow } from './protocol.js';

interface OneOff {
  name: string;
  command: string;
  pid: number | null;
  startedAt: number;
  status: number | null;
}

/** At most this many ended one-offs stay listed. */
const KEEP_ENDED = 10;

export class OneOffRegistry {
  private readonly runs = new Map<string, OneOff>();

  constructor(private readonly o: { bus: LogSink; clock: Clock; alive?: (pid: number) => boolean }) {}

  started(name: string, command: string, pid: number | null): void {
    const now = this.o.clock.now();
    this.runs.set(name, { name, command, pid, startedAt: now, status: null });
    this.o.bus.publish(herokuLine(now, name, `Starting process with command \`${command}\` by user ${userName()}`));
    this.o.bus.publish(herokuLine(now, name, 'State changed from starting to up'));
    const ended = [...this.runs.values()].filter((r) => r.status !== null);
    for (const old of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) this.runs.delete(old.name);
  }

  exited(name: string, status: number): void {
    const run = this.runs.get(name);
    if (!run || run.status !== null) return;
    run.status = status;
    const now = this.o.clock.now();
    this.o.bus.publish(herokuLine(now, name, 'State changed from up to complete'));
    this.o.bus.publish(herokuLine(now, name, `Process exited with status ${status}`));
  }

  /** `dyno ps` rows: up (with uptime) while running, then complete with its status. */
  rows(): DynoRow[] {
    const alive = this.o.alive ?? isAlive;
    const now = this.o.clock.now();
    return [...this.runs.values()].map((r) => {
      const gone = r.status === null && r.pid !== null && !alive(r.pid);
      const up = r.status === null && !gone;
      return {
        name: r.name, type: 'run', state: up ? 'up' : 'complete', pid: up ? r.pid : null, port: 0,
        uptimeMs: up ? Math.max(0, Math.round(now - r.startedAt)) : null, restarts: 0, rssBytes: null,
        ...(r.status === null ? {} : { exitStatus: r.status }), command: r.command,
      };
    });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function userName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
