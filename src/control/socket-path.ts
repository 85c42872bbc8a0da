// Where an app's control socket lives: `<root>/.dyno/control.sock`, or, when that path is too long
// for a Unix socket (sun_path: 108 bytes on Linux, 104 on macOS, NUL included) or the root is not
// writable, `<tmpdir>/dyno-<uid>/<hash of the root>.sock`. Clients look in both places.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Longest socket path the platform accepts, in bytes. */
export const MAX_SOCKET_PATH_BYTES = process.platform === 'darwin' ? 103 : 107;

/** The two places an app's socket may be. */
export interface SocketPaths {
  /** `<root>/.dyno/control.sock`; null when too long. */
  primary: string | null;
  /** Under the temp directory, keyed by a hash of the (real) root. */
  fallback: string;
}

export interface SocketPathOptions {
  /** Default os.tmpdir(). */
  tmpdir?: string;
  /** Default the current user's uid (keeps users apart in a shared /tmp). */
  uid?: number;
}

// The root with symlinks resolved, so every spelling of one directory gets one socket.
function realRoot(root: string): string {
  try {
    return fs.realpathSync(root);
  } catch {
    return path.resolve(root);
  }
}

/** The candidate socket paths of the app at `root`. */
export function socketPathsFor(root: string, o: SocketPathOptions = {}): SocketPaths {
  const real = realRoot(root);
  const primary = path.join(real, '.dyno', 'control.sock');
  const hash = createHash('sha256').update(real).digest('hex').slice(0, 16);
  const uid = o.uid ?? (typeof process.getuid === 'function' ? process.getuid() : 0);
  const fallback = path.join(o.tmpdir ?? os.tmpdir(), `dyno-${uid}`, `${hash}.sock`);
  return { primary: Buffer.byteLength(primary) <= MAX_SOCKET_PATH_BYTES ? primary : null, fallback };
}

/** Existing socket files of the app (primary first): where a client should connect. */
export function existingSockets(paths: SocketPaths): string[] {
  return [paths.primary, paths.fallback].filter((p): p is string => p !== null && fs.existsSync(p));
}

/** Create the socket's directory (0700) and return the path to bind: the primary when possible. */
export function prepareSocketPath(paths: SocketPaths): string {
  for (const candidate of [paths.primary, paths.fallback]) {
    if (candidate === null) continue;
    try {
      fs.mkdirSync(path.dirname(candidate), { recursive: true, mode: 0o700 });
      fs.accessSync(path.dirname(candidate), fs.constants.W_OK);
      return candidate;
    } catch (err) {
      if (candidate === paths.fallback) throw err; // a read-only root falls back to tmp; a broken tmp is a real error
    }
  }
  throw new Error('unreachable: the fallback socket path is always tried');
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
