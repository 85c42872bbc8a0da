// Directories and files only this user may touch: the control socket's directory (0700) and the
// dashboard token (0600). Checked with lstat/fstat — owned by the user, exactly that mode, not a
// symlink — because a directory another local user created (or can write) lets them swap the socket
// (and read the owner's requests) or plant a token the dashboard would accept (issue 11).
import fs from 'node:fs';
import { DynoError } from '../core/errors.js';

/** The current user's uid (-1 where the platform has none). */
export function currentUid(): number {
  return typeof process.getuid === 'function' ? process.getuid() : -1;
}

const octal = (mode: number): string => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

/** What makes `stat` not private to `uid` (as a directory or file with `mode`), or null when it is. */
export function privacyProblem(stat: fs.Stats, o: { kind: 'directory' | 'file'; mode: number; uid: number }): string | null {
  if (stat.isSymbolicLink()) return 'is a symbolic link';
  if (o.kind === 'directory' ? !stat.isDirectory() : !stat.isFile()) return `is not a ${o.kind}`;
  if (o.uid >= 0 && stat.uid !== o.uid) return `is owned by uid ${stat.uid}, not by you (uid ${o.uid})`;
  if ((stat.mode & 0o777) !== o.mode) return `has mode ${octal(stat.mode)}, not ${octal(o.mode)}`;
  return null;
}

/** The one-line refusal: the path, what is wrong, and the fix. */
export function unsafePath(file: string, kind: 'directory' | 'file', why: string): DynoError {
  const mode = kind === 'directory' ? '0700' : '0600';
  return new DynoError('UNSAFE_PATH', `refusing ${file}: it ${why}; remove it (dyno recreates it, mode ${mode}) or make it yours with mode ${mode}`, {
    hint: 'another local user could otherwise take over the control socket or the dashboard token',
  });
}

/** Throw UNSAFE_PATH unless the existing `dir` is a directory of `uid` with mode 0700 (not a symlink). */
export function assertPrivateDir(dir: string, uid = currentUid()): void {
  const why = privacyProblem(fs.lstatSync(dir), { kind: 'directory', mode: 0o700, uid });
  if (why) throw unsafePath(dir, 'directory', why);
}

/** Create `dir` mode 0700 (its parent must exist) unless it exists; then check it as assertPrivateDir does. */
export function ensurePrivateDir(dir: string, uid = currentUid()): void {
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
    // The umask may have narrowed the mode; fix it through a descriptor that cannot follow a symlink.
    const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
    try {
      fs.fchmodSync(fd, 0o700);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  assertPrivateDir(dir, uid);
}

/** The text of a private file (0600, the user's, not a symlink), or null when absent; UNSAFE_PATH otherwise. */
export function readPrivateFile(file: string, uid = currentUid()): string | null {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP') throw unsafePath(file, 'file', 'is a symbolic link');
    throw unsafePath(file, 'file', `cannot be read (${code ?? (err as Error).message})`);
  }
  try {
    const why = privacyProblem(fs.fstatSync(fd), { kind: 'file', mode: 0o600, uid });
    if (why) throw unsafePath(file, 'file', why);
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Replace `file` atomically with `text`, mode 0600 (a temp file created exclusively, never through a symlink). */
export function writePrivateFile(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  fs.rmSync(tmp, { force: true });
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
  try {
    fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
