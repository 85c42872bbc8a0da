// Where an app's control socket (and, next to it, the dashboard token) lives, in this order:
//   1. `$XDG_RUNTIME_DIR/dyno/<hash of the root>.sock` when XDG_RUNTIME_DIR is set (an absolute path);
//   2. `<root>/.dyno/control.sock`;
//   3. `<tmpdir>/dyno-<uid>/<hash of the root>.sock`.
// A candidate is skipped when it cannot be used (the path is too long for sun_path — 108 bytes on
// Linux, 104 on macOS, NUL included —, the parent is missing or read-only, `.dyno` is a file). Every
// directory used is created 0700 and checked (private-dir.ts); one that fails the check is refused,
// never skipped. Clients look in every candidate, in the same order, checking the directory first.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DynoError } from '../core/errors.js';
import { assertPrivateDir, currentUid, ensurePrivateDir } from './private-dir.js';

/** Longest socket path the platform accepts, in bytes. */
export const MAX_SOCKET_PATH_BYTES = process.platform === 'darwin' ? 103 : 107;

/** The places an app's socket may be, best first. */
export interface SocketPaths {
  /** `$XDG_RUNTIME_DIR/dyno/<hash>.sock`; null without XDG_RUNTIME_DIR or when too long. */
  runtime: string | null;
  /** `<root>/.dyno/control.sock`; null when too long. */
  primary: string | null;
  /** Under the temp directory, keyed by a hash of the (real) root. */
  fallback: string;
  /** Whose directories these must be. */
  uid: number;
}

export interface SocketPathOptions {
  /** Default os.tmpdir(). */
  tmpdir?: string;
  /** Default the current user's uid (keeps users apart in a shared /tmp). */
  uid?: number;
  /** Default $XDG_RUNTIME_DIR; null or '' for none. */
  runtimeDir?: string | null;
}

// The root with symlinks resolved, so every spelling of one directory gets one socket.
function realRoot(root: string): string {
  try {
    return fs.realpathSync(root);
  } catch {
    return path.resolve(root);
  }
}

const fits = (file: string): boolean => Buffer.byteLength(file) <= MAX_SOCKET_PATH_BYTES;

/** The candidate socket paths of the app at `root`. */
export function socketPathsFor(root: string, o: SocketPathOptions = {}): SocketPaths {
  const real = realRoot(root);
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 16);
  const uid = o.uid ?? currentUid();
  const runtimeDir = o.runtimeDir === undefined ? process.env.XDG_RUNTIME_DIR : o.runtimeDir;
  const runtime = runtimeDir && path.isAbsolute(runtimeDir) ? path.join(runtimeDir, 'dyno', `${hash}.sock`) : null;
  const primary = path.join(real, '.dyno', 'control.sock');
  const fallback = path.join(o.tmpdir ?? os.tmpdir(), `dyno-${uid}`, `${hash}.sock`);
  return { runtime: runtime && fits(runtime) ? runtime : null, primary: fits(primary) ? primary : null, fallback, uid };
}

/** Every candidate, best first. */
export function socketCandidates(paths: SocketPaths): string[] {
  return [paths.runtime, paths.primary, paths.fallback].filter((p): p is string => p !== null);
}

/**
 * Existing socket files of the app, best first: where a client should connect. A socket whose
 * directory is not private to the user is refused (UNSAFE_PATH) rather than connected to.
 */
export function existingSockets(paths: SocketPaths): string[] {
  return socketCandidates(paths).filter((file) => {
    try {
      fs.lstatSync(file);
    } catch {
      return false;
    }
    assertPrivateDir(path.dirname(file), paths.uid);
    return true;
  });
}

// Errors that make a candidate unusable (so the next one is tried), as opposed to unsafe.
const UNUSABLE = new Set(['ENOENT', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR']);

/** Create the socket's directory (0700, checked) and return the path to bind: the best usable candidate. */
export function prepareSocketPath(paths: SocketPaths): string {
  const tried: string[] = [];
  for (const candidate of socketCandidates(paths)) {
    const dir = path.dirname(candidate);
    if (!fits(candidate)) {
      tried.push(`${candidate} is longer than ${MAX_SOCKET_PATH_BYTES} bytes`);
      continue;
    }
    try {
      if (fs.lstatSync(dir, { throwIfNoEntry: false })?.isFile()) {
        tried.push(`${dir} is a file`); // e.g. a `.dyno` file in the app
        continue;
      }
      ensurePrivateDir(dir, paths.uid);
      fs.accessSync(dir, fs.constants.W_OK);
      return candidate;
    } catch (err) {
      if (err instanceof DynoError) throw err; // unsafe: refused, not skipped
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (!UNUSABLE.has(code)) throw err;
      tried.push(`${dir}: ${code}`);
    }
  }
  throw new DynoError('UNSAFE_PATH', `no usable directory for the control socket (${tried.join('; ')})`, {
    hint: 'set TMPDIR (or XDG_RUNTIME_DIR) to a short directory of yours',
  });
}

/** What sits at a socket path: nothing, a socket nobody listens on (a killed dyno start), or a live server. */
export function probeSocket(file: string): Promise<'absent' | 'stale' | 'live' | 'not-a-socket'> {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return Promise.resolve('absent');
  }
  if (!stat.isSocket()) return Promise.resolve('not-a-socket');
  return new Promise((resolve) => {
    const socket = net.connect(file);
    socket.once('connect', () => {
      socket.destroy();
      resolve('live');
    });
    // ECONNREFUSED: nobody listens. Anything else (EAGAIN: backlog full, EACCES) means someone might.
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ENOENT' ? 'absent' : err.code === 'ECONNREFUSED' ? 'stale' : 'live'));
  });
}
