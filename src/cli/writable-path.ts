// Path flags checked where they are parsed, so a bad one is one clear line before anything starts:
// an output directory (export -o) must be a directory or creatable; a log file (--log-file) must be a
// regular file or pipe that can be opened for writing, or creatable.
import fs from 'node:fs';
import path from 'node:path';
import { DynoError } from '../core/errors.js';

const quote = (p: string): string => JSON.stringify(p.length > 200 ? `${p.slice(0, 200)}…` : p);

// Linux limits: a path of 4096 bytes, a name of 255.
function assertPathLength(flag: string, p: string): void {
  if (Buffer.byteLength(p) > 4095 || p.split('/').some((name) => Buffer.byteLength(name) > 255)) {
    throw new DynoError('USAGE', `${flag} ${quote(p)}: the path is too long (at most 4095 bytes, 255 per name)`);
  }
}

/** A non-blank path from a flag, or USAGE. */
export function assertPathFlag(flag: string, value: string): void {
  if (value.trim() === '') throw new DynoError('USAGE', `${flag} expects a path, got ${quote(value)}`);
  if (value.includes('\0')) throw new DynoError('USAGE', `${flag} ${quote(value)}: a path cannot contain NUL`);
  assertPathLength(flag, value);
}

// stat, or undefined when nothing is there (ENOENT) or a part of the path is a file (ENOTDIR).
function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new DynoError('USAGE', `${quote(p)}: ${code ?? (err as Error).message}`);
  }
}

// The nearest existing ancestor of `p` (it may be `p` itself), with its stats.
function nearestExisting(p: string): { at: string; stat: fs.Stats } {
  for (let at = p; ; at = path.dirname(at)) {
    const stat = statOf(at);
    if (stat) return { at, stat };
    if (path.dirname(at) === at) throw new DynoError('USAGE', `${quote(p)}: no part of the path exists`);
  }
}

// Whether this process may write in `dir` (root bypasses modes, not read-only mounts).
function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `dir` (absolute; check the raw value with assertPathFlag first) is a writable directory, or can be created: else USAGE naming the flag and path. */
export function assertWritableDir(flag: string, dir: string): void {
  const { at, stat } = nearestExisting(dir);
  if (!stat.isDirectory()) {
    throw new DynoError('USAGE', at === dir ? `${flag} ${quote(dir)} is not a directory` : `${flag} ${quote(dir)} cannot be created: ${quote(at)} is not a directory`);
  }
  if (!writable(at)) throw new DynoError('USAGE', `${flag} ${quote(dir)}: ${quote(at)} is not writable`);
}

/** `file` (absolute; check the flag's raw value with assertPathFlag first) is a regular file or pipe that opens for appending (created if absent): else USAGE. */
export function assertWritableFile(flag: string, file: string): void {
  const stat = statOf(file);
  if (stat?.isDirectory()) throw new DynoError('USAGE', `${flag} ${quote(file)} is a directory`);
  if (stat?.isFIFO()) return; // opening a pipe for writing would wait for its reader
  // A character device (/dev/stderr, a tty) is a fine place for lines; one that fails later (/dev/full) says so at run time.
  if (stat && !stat.isFile() && !stat.isCharacterDevice()) throw new DynoError('USAGE', `${flag} ${quote(file)} is not a regular file, a character device or a pipe`);
  try {
    fs.closeSync(fs.openSync(file, 'a', 0o644));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    const why = code === 'ENOENT' ? `the directory ${quote(path.dirname(file))} does not exist` : code === 'ENOTDIR' ? 'a part of the path is not a directory' : `cannot be opened for writing (${code})`;
    throw new DynoError('USAGE', `${flag} ${quote(file)}: ${why}`);
  }
}
