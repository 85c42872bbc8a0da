// Where slugs and dependency caches live: the user's cache dir, one directory per app, one slug per
// commit. Outside the app directory on purpose: Node would find the working tree's node_modules from a
// slug inside it, and hide a dependency the slug lacks.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The cache root: $XDG_CACHE_HOME/dyno, else ~/.cache/dyno. */
export function cacheRoot(env: Record<string, string | undefined>): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'dyno');
}

/** The directories of one app's builds. */
export interface AppCache {
  /** `<cache>/apps/<name>-<hash>`. */
  dir: string;
  slugDir(sha: string): string;
  metaFile(sha: string): string;
  /** Dependency caches (node_modules before pruning), keyed by lockfile hash. */
  depsDir(key: string): string;
  /** Package managers' download caches (npm, pip). */
  downloads(tool: string): string;
}

export function appCache(root: string, env: Record<string, string | undefined>): AppCache {
  const real = fs.realpathSync(root);
  const dir = path.join(cacheRoot(env), 'apps', `${path.basename(real)}-${createHash('sha1').update(real).digest('hex').slice(0, 8)}`);
  return {
    dir,
    slugDir: (sha) => path.join(dir, 'slugs', sha),
    metaFile: (sha) => path.join(dir, 'slugs', `${sha}.json`),
    depsDir: (key) => path.join(dir, 'deps', key),
    downloads: (tool) => path.join(dir, 'downloads', tool),
  };
}

/** Copy a tree as hard links (fast; files are shared, directories are not). */
export async function linkTree(from: string, to: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(to), { recursive: true });
  await execFileAsync('cp', ['-al', from, to]);
}

/** Bytes under `dir` (apparent sizes, like `du -sb`). */
export async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  const entries = await fs.promises.readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile()) continue;
    const st = await fs.promises.lstat(path.join(e.parentPath ?? e.path, e.name)).catch(() => null);
    total += st?.size ?? 0;
  }
  return total;
}

/** `43.5M`, as Heroku's `Done:` line prints sizes. */
export function formatSize(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${mb.toFixed(1)}M` : `${Math.max(1, Math.round(bytes / 1024))}K`;
}
