// The dashboard's token: random per run of `dyno start`, kept next to the control socket (mode 0600,
// in the 0700 socket directory) so that the next run of the same app can accept the previous run's
// token too, and a page left open reconnects when `dyno start` comes back (its cookie is then
// replaced by the new token). A token therefore works for at most two consecutive runs.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

/** Where the token of the app whose control socket is `controlPath` is kept. */
export function dashboardTokenPath(controlPath: string): string {
  return `${controlPath.replace(/\.sock$/, '')}.dashboard-token`;
}

/** A fresh token (32 random bytes, URL-safe). */
export function newDashboardToken(): string {
  return randomBytes(32).toString('base64url');
}

/** This run's tokens: a fresh one first, then the previous run's if its file holds one; writes the fresh one. */
export function loadDashboardTokens(file: string): string[] {
  let previous = '';
  try {
    previous = fs.readFileSync(file, 'utf8').trim();
  } catch {
    // first run of this app
  }
  const token = newDashboardToken();
  fs.rmSync(`${file}.tmp`, { force: true });
  fs.writeFileSync(`${file}.tmp`, `${token}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  return /^[\w-]{43}$/.test(previous) ? [token, previous] : [token];
}
