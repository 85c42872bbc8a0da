// -w/--watch: chokidar over the app, ignoring node_modules, .git, build output and user globs,
// debounced so that a burst of writes restarts the dynos once (NODE-NOTES §6).
import path from 'node:path';
import { watch } from 'chokidar';
import picomatch from 'picomatch';
import { systemClock } from '../core/clock.js';
import type { LogSink } from '../core/types.js';
import { dynoNotice } from '../logs/log-line.js';

/** Directory names never watched: dependencies, VCS, build output, dyno's own state. */
const IGNORED_NAMES = ['node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'tmp', 'log', 'coverage', '.dyno', '.next', '.cache'];

export interface WatcherOptions {
  root: string;
  /** Paths to watch, relative to root or absolute. */
  paths: string[];
  /** Extra glob patterns (relative to root) to ignore. */
  ignore: string[];
  bus: LogSink;
  /** Called once per burst of changes; a burst during a running restart triggers one more. */
  onChange(): Promise<void>;
  debounceMs?: number;
}

/** Build the ignore predicate over paths relative to the root (never ignores the root itself). */
export function buildIgnore(root: string, globs: string[]): (p: string) => boolean {
  const names = new RegExp(`(^|[\\/\\\\])(${IGNORED_NAMES.map((n) => n.replace(/\./g, '\\.')).join('|')})([\\/\\\\]|$)`);
  const user = globs.length > 0 ? picomatch(globs.flatMap((g) => [g, `${g}/**`]), { dot: true }) : () => false;
  return (p: string) => {
    const rel = path.relative(root, p);
    if (rel === '' || rel.startsWith('..')) return false;
    return names.test(rel) || user(rel) || /\.log$/.test(rel);
  };
}

export async function startWatcher(o: WatcherOptions): Promise<{ close(): Promise<void> }> {
  const ignored = buildIgnore(o.root, o.ignore);
  const watcher = watch(o.paths.map((p) => path.resolve(o.root, p)), { ignoreInitial: true, ignored });
  const debounceMs = o.debounceMs ?? 200;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;
  let lastPath = '';

  // One restart at a time; changes during a restart schedule exactly one more.
  const restart = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    o.bus.publish(dynoNotice(systemClock.now(), `${lastPath} changed, restarting dynos`));
    try {
      await o.onChange();
    } finally {
      running = false;
      if (again) {
        again = false;
        void restart();
      }
    }
  };
  watcher.on('all', (_event, changed) => {
    lastPath = path.relative(o.root, changed) || changed;
    clearTimeout(timer);
    timer = setTimeout(() => void restart(), debounceMs);
  });
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
