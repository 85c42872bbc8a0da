// The launch seam of a dyno run: spawnChild hands the argv it would exec to a Launcher, which may wrap
// it (dyno start --ephemeral: a private mount namespace with an overlay over the app root) and be told
// when the run has ended (its output flushed), e.g. to report what the run wrote.
import type { ExitInfo } from '../core/types.js';

/** One run about to be spawned. */
export interface LaunchRequest {
  /** What would be exec'd without a launcher, e.g. `['/bin/sh', '-c', command]`. */
  argv: string[];
  /** `web.1`, `release.1`, `run.4242`. */
  dyno: string;
  /** The run's working directory (the app root or the slug). */
  cwd: string;
}

/** What to spawn instead, and what to do once the run has ended. */
export interface Launch {
  file: string;
  args: string[];
  /** Called once, after the child's 'close' (every line of output published). */
  ended?: (exit: ExitInfo) => void;
}

export type Launcher = (run: LaunchRequest) => Launch;
