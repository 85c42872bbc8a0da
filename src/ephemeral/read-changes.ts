// What a run changed, read from disk: the overlay's upper dir (exact), or, report-only, the files under
// the app root modified since the run started (any dyno, or the developer, may have written them).
import fs from 'node:fs';
import path from 'node:path';
import type { RunChanges } from './format-lost-files.js';

/** Walks stop after this many entries (a runaway cache dir must not stall the manager). */
const MAX_ENTRIES = 50_000;

/** Directories the report-only walk skips: not the app's runtime writes, or too big to walk each run. */
export const REPORT_ONLY_SKIP = new Set(['.git', 'node_modules', '.dyno']);

// Depth-first over `dir`; `visit` gets each non-directory entry's relative path and lstat.
async function walk(dir: string, visit: (rel: string, st: fs.Stats) => void, skip: Set<string> = new Set()): Promise<void> {
  let seen = 0;
  const stack = [''];
  while (stack.length && seen < MAX_ENTRIES) {
    const rel = stack.pop()!;
    const entries = await fs.promises.readdir(path.join(dir, rel), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      seen++;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!(rel === '' && skip.has(entry.name))) stack.push(child);
        continue;
      }
      const st = await fs.promises.lstat(path.join(dir, child)).catch(() => null);
      if (st) visit(child, st);
    }
  }
}

/** An overlay upper dir: a 0:0 char device is a deletion (whiteout); any other non-directory was written. */
export async function readUpperChanges(upper: string): Promise<RunChanges> {
  const changes: RunChanges = { written: [], deleted: 0 };
  await walk(upper, (rel, st) => {
    if (st.isCharacterDevice() && st.rdev === 0) changes.deleted++;
    else changes.written.push(rel);
  });
  return changes;
}

/** Report-only: files under `root` modified at or after `sinceMs` (deletions cannot be seen). */
export async function readModifiedSince(root: string, sinceMs: number): Promise<RunChanges> {
  const changes: RunChanges = { written: [], deleted: 0 };
  await walk(root, (rel, st) => {
    if (st.mtimeMs >= sinceMs - 1) changes.written.push(rel);
  }, REPORT_ONLY_SKIP);
  return changes;
}
