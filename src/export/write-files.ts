// The only writer of export files: every path strictly under the output directory, nothing
// overwritten without `force` (checked for all files before the first is written), secrets created
// 0600 from the start (O_EXCL, so no symlink is followed and no wider mode ever exists).
import fs from 'node:fs';
import path from 'node:path';
import { shownPath } from '../app/shown-path.js';
import { DynoError } from '../core/errors.js';
import type { OutputFile } from './exporter.js';

export interface WriteFilesOptions {
  /** Absolute output directory; created when missing. */
  outDir: string;
  /** Replace files that exist. */
  force: boolean;
  /** Told `Writing <path>` for each file, path relative to `cwd` when inside it. */
  log(line: string): void;
  /** For the paths in messages. */
  cwd: string;
  /** Give the secret files to this owner (the -u user who reads them; only root can). */
  secretOwner?: { uid: number; gid: number };
}

// The absolute target of one file, or EXPORT_WRITE when it would leave the output directory.
function targetPath(outDir: string, rel: string): string {
  const target = path.resolve(outDir, rel);
  const inside = path.relative(outDir, target);
  if (path.isAbsolute(rel) || !inside || inside.startsWith('..') || path.isAbsolute(inside)) {
    throw new DynoError('EXPORT_WRITE', `refusing to write ${JSON.stringify(rel)}: outside the output directory ${outDir}`);
  }
  return target;
}

// How a path is shown: relative to cwd when inside it.
// Throw EXPORT_WRITE with the OS reason.
function writeError(what: string, file: string, cause: unknown): DynoError {
  const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
  return new DynoError('EXPORT_WRITE', `cannot ${what} ${file}: ${code}`, { cause });
}

// Refuse existing files (unless force) and anything that is not a regular file or symlink.
function checkExisting(targets: string[], o: WriteFilesOptions): void {
  const existing = targets.filter((t) => fs.lstatSync(t, { throwIfNoEntry: false }) !== undefined);
  for (const t of existing) {
    const stat = fs.lstatSync(t);
    if (!stat.isFile() && !stat.isSymbolicLink()) throw new DynoError('EXPORT_WRITE', `${shownPath(o.cwd, t)} exists and is not a file`);
  }
  if (existing.length && !o.force) {
    throw new DynoError('EXPORT_WRITE', `${existing.map((t) => shownPath(o.cwd, t)).join(', ')} already exist${existing.length === 1 ? 's' : ''}`, {
      hint: 'pass --force to overwrite, or choose another directory with -o',
    });
  }
}

/** Write the files. Returns their absolute paths. */
export function writeFiles(files: readonly OutputFile[], o: WriteFilesOptions): string[] {
  const targets = files.map((f) => targetPath(o.outDir, f.path));
  checkExisting(targets, o);
  files.forEach((file, i) => {
    const target = targets[i]!;
    o.log(`Writing ${shownPath(o.cwd, target)}`);
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.rmSync(target, { force: true });
      const fd = fs.openSync(target, 'wx', file.secret ? 0o600 : 0o644);
      try {
        // The umask may have narrowed the mode; state it exactly.
        fs.fchmodSync(fd, file.secret ? 0o600 : 0o644);
        if (file.secret && o.secretOwner) fs.fchownSync(fd, o.secretOwner.uid, o.secretOwner.gid);
        fs.writeFileSync(fd, file.content);
      } finally {
        fs.closeSync(fd);
      }
    } catch (cause) {
      throw writeError('write', shownPath(o.cwd, target), cause);
    }
  });
  return targets;
}
