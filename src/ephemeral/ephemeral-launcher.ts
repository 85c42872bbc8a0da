// `--ephemeral`: the Launcher that gives every dyno run its own copy-on-write view of its app root
// (EPHEMERAL-FS.md), or, where that is impossible, runs it as is and reports what changed under the root.
// Either way each ended run reports `web.1: N files written during this run are lost on Heroku: …`.
import fs from 'node:fs';
import path from 'node:path';
import { DynoError } from '../core/errors.js';
import type { Launcher } from '../supervisor/launcher.js';
import { formatLostFiles, type RunChanges } from './format-lost-files.js';
import { overlayArgv, probeOverlay, removeEphDir, type EphemeralMode } from './probe-overlay.js';
import { readModifiedSince, readUpperChanges } from './read-changes.js';

/** `--ephemeral` as given: on (auto), or a forced mode. */
export type EphemeralFlag = 'auto' | 'overlay' | 'report-only';

export interface EphemeralOptions {
  flag: EphemeralFlag;
  /** Roots the runs will use (the app root, a slug dir): checked for overlay-unsafe characters. */
  roots: string[];
  /** The environment, for $XDG_RUNTIME_DIR and $TMPDIR. */
  env: Record<string, string | undefined>;
  /** Gets each ended run's lost-files line. */
  report(line: string): void;
  platform?: NodeJS.Platform;
}

export interface Ephemeral {
  mode: EphemeralMode;
  launcher: Launcher;
  /** The once-at-start line: which mode, and why. */
  notice: string;
  /** Resolves once every ended run's report is out and its upper dir removed. */
  drain(): Promise<void>;
}

/** Paths with , : or \ break overlayfs's option string (EPHEMERAL-FS.md pitfall 7). */
export function assertOverlaySafe(dir: string): void {
  if (/[,:\\]/.test(dir)) {
    throw new DynoError('USAGE', `--ephemeral cannot isolate ${dir}: overlayfs refuses paths containing , : or \\`, { hint: 'move the app to a plain path, or use --ephemeral report-only' });
  }
}

/** Probe (unless forced), then build the launcher for that mode. */
export function setupEphemeral(o: EphemeralOptions): Ephemeral {
  const mode: EphemeralMode = o.flag === 'report-only' ? { mode: 'report-only', reason: '--ephemeral report-only was asked for' } : probeOverlay({
    bases: [o.env.XDG_RUNTIME_DIR, '/dev/shm', o.env.TMPDIR, '/tmp'].filter((b): b is string => !!b),
    platform: o.platform ?? process.platform,
    uid: process.getuid?.() ?? -1,
    gid: process.getgid?.() ?? -1,
  });
  if (o.flag === 'overlay' && mode.mode !== 'overlay') throw new DynoError('USAGE', `--ephemeral overlay is not possible here: ${mode.reason}`, { hint: 'use --ephemeral (falls back to report-only)' });
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>): void => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  const drain = async (): Promise<void> => {
    while (pending.size) await Promise.all(pending);
  };
  const ended = (dyno: string) => (changes: RunChanges): void => {
    const line = formatLostFiles(dyno, changes);
    if (line) o.report(line);
  };
  if (mode.mode === 'report-only') {
    return {
      mode,
      drain,
      notice: `--ephemeral: report-only, because ${mode.reason}: dynos are NOT isolated (they share the app directory); files written under it are reported at the end of each run`,
      launcher: (run) => {
        const since = Date.now();
        return { file: run.argv[0]!, args: run.argv.slice(1), ended: () => track(readModifiedSince(run.cwd, since).then(ended(run.dyno))) };
      },
    };
  }
  for (const root of o.roots) assertOverlaySafe(root);
  return {
    mode,
    drain,
    notice: `--ephemeral: each dyno run gets its own copy-on-write app directory (overlayfs, upper dirs in ${mode.upperBase}), because ${mode.reason}; writes outside it ($TMPDIR, $HOME, symlinks leaving it) are not isolated`,
    launcher: overlayLauncher(mode, (dyno) => (c) => ended(dyno)(c), track),
  };
}

// Per run: a fresh upper dir, the argv wrapped in the namespace; at the end, report and remove it.
function overlayLauncher(mode: Extract<EphemeralMode, { mode: 'overlay' }>, ended: (dyno: string) => (c: RunChanges) => void, track: (work: Promise<void>) => void): Launcher {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  return (run) => {
    const lower = fs.realpathSync(run.cwd);
    assertOverlaySafe(lower);
    const eph = fs.mkdtempSync(path.join(mode.upperBase, `dyno-${run.dyno}-`));
    fs.mkdirSync(path.join(eph, 'upper'));
    fs.mkdirSync(path.join(eph, 'work'));
    const argv = overlayArgv({ rootless: mode.rootless, lower, eph, uid, gid, argv: run.argv });
    const report = async (): Promise<void> => {
      ended(run.dyno)(await readUpperChanges(path.join(eph, 'upper')));
      await removeEphDir(eph);
    };
    return { file: argv[0]!, args: argv.slice(1), ended: () => track(report()) };
  };
}
