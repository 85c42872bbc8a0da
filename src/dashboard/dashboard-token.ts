// The dashboard's token: random per run of `dyno start`, kept next to the control socket (mode 0600,
// in the checked 0700 socket directory) so that the next run of the same app can accept the previous
// run's token too, and a page left open reconnects when `dyno start` comes back (its cookie is then
// replaced by the new token). A token therefore works for at most two consecutive runs. A token file
// dyno did not write (another owner, another mode, a symlink, a directory not private) is refused.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { assertPrivateDir, readPrivateFile, writePrivateFile } from '../control/private-dir.js';

/** Where the token of the app whose control socket is `controlPath` is kept. */
export function dashboardTokenPath(controlPath: string): string {
  return `${controlPath.replace(/\.sock$/, '')}.dashboard-token`;
}

/** A fresh token (32 random bytes, URL-safe). */
export function newDashboardToken(): string {
  return randomBytes(32).toString('base64url');
}

/** This run's tokens: a fresh one first, then the previous run's if its file holds one; writes the fresh one. */
export function loadDashboardTokens(file: string, uid?: number): string[] {
  assertPrivateDir(path.dirname(file), uid);
  const previous = (readPrivateFile(file, uid) ?? '').trim();
  const token = newDashboardToken();
  writePrivateFile(file, `${token}\n`);
  return /^[\w-]{43}$/.test(previous) ? [token, previous] : [token];
}
