// The release phase (HEROKU.md §2.9): the `release` command runs once, first, as the one-off dyno
// `release.1`, never restarted. Its lines are Heroku's:
//   heroku[release.1]: Starting process with command `…`
//   heroku[release.1]: State changed from starting to up
//   app[release.1]:    (its output, through the log pipeline)
//   heroku[release.1]: Process exited with status 0
//   heroku[release.1]: State changed from up to complete
import type { Clock } from '../core/clock.js';
import type { DynoSpec, ExitInfo, LogSink } from '../core/types.js';
import { herokuLine } from '../logs/log-line.js';
import { spawnChild, type Child } from './child.js';
import { stopChildren, type ShutdownOptions } from './shutdown.js';
import type { Launcher } from './launcher.js';
import type { RunTracker } from './run-tracker.js';
import type { Shell } from './shell.js';
import type { Watchdog } from './watchdog.js';

/** The release dyno's name (Heroku's is `release.<random>`; one release per start here). */
export const RELEASE_DYNO = 'release.1';

/** Options of ReleasePhase. */
export interface ReleaseOptions {
  /** The `release` process type as a dyno spec (name `release.1`, no $PORT needed). */
  spec: DynoSpec;
  /** Working directory (the app root). */
  root: string;
  bus: LogSink;
  clock: Clock;
  watchdog?: Watchdog;
  /** Wraps the spawn (--ephemeral). */
  launcher?: Launcher;
  shell?: Shell;
  tracker?: RunTracker;
}

export class ReleasePhase {
  private child: Child | null = null;
  private stopping = false;

  constructor(private readonly o: ReleaseOptions) {}

  /** Run the release command to its end; resolves with how it ended (status 0 = success). */
  async run(): Promise<ExitInfo> {
    const { spec } = this.o;
    this.log(`Starting process with command \`${spec.command}\``);
    const { bus, watchdog, shell, tracker, launcher } = this.o;
    const child = spawnChild({ dyno: spec.name, command: spec.command, cwd: spec.cwd ?? this.o.root, env: spec.env, bus, watchdog, shell, tracker, launcher });
    this.child = child;
    if (child.pid) this.log('State changed from starting to up');
    // A one-off dyno ends with its command: whatever the command left behind goes with it.
    void child.exited.then(() => !this.stopping && child.sweep('SIGKILL'));
    const exit = await child.ended;
    this.log(`Process exited with status ${exit.status}`);
    if (child.pid) this.log('State changed from up to complete');
    return exit;
  }

  /** Stop a running release (Ctrl-C): TERM, grace, KILL; resolves with the dynos that needed SIGKILL. */
  async stop(o: Omit<ShutdownOptions, 'bus' | 'clock'>): Promise<string[]> {
    this.stopping = true;
    if (!this.child) return [];
    const result = await stopChildren([{ dyno: this.o.spec.name, child: this.child }], { ...o, bus: this.o.bus, clock: this.o.clock });
    return result.killed;
  }

  private log(text: string): void {
    this.o.bus.publish(herokuLine(this.o.clock.now(), this.o.spec.name, text));
  }
}
