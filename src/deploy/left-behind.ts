// What the working tree has that a push would not deploy: untracked and ignored files (git status),
// named once at start so that "Cannot find module './config.js'" from a slug dyno explains itself.
import { git } from './git-commit.js';

/** Directories that are never deployed and need no mention. */
const QUIET = /^(node_modules|\.dyno|\.venv|venv|vendor\/bundle|__pycache__)(\/|$)/;

/** Untracked and ignored paths under `root` (directories end in `/`), minus the usual build dirs. */
export function leftBehind(root: string): string[] {
  const out = git(root, ['status', '--porcelain', '--ignored', '--untracked-files=normal', '-z', '--', '.']) ?? '';
  return out
    .split('\0')
    .filter((e) => e.startsWith('?? ') || e.startsWith('!! '))
    .map((e) => e.slice(3))
    .filter((p) => !QUIET.test(p));
}

/** The notice, or null when everything is committed. */
export function formatLeftBehind(paths: string[], short: string): string | null {
  if (!paths.length) return null;
  const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? ', …' : '');
  return `--slug: ${paths.length} path${paths.length === 1 ? ' is' : 's are'} in the working tree but not in ${short} (untracked or git-ignored; a push would not deploy ${paths.length === 1 ? 'it' : 'them'}): ${shown}`;
}
