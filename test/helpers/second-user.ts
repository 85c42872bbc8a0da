// A second real local user for the attack tests (issue 11): created with useradd when absent. Needs
// root; without it the caller skips visibly, and under CI=true it fails (CI runs as root).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

export const SECOND_USER = 'dynoattacker';

export interface SecondUser {
  name: string;
  uid: number;
  gid: number;
  /** Run a command as that user to the end; returns stdout. */
  run(cmd: string, args: string[], cwd?: string): string;
  /** Start a command as that user (stdio piped). */
  spawn(cmd: string, args: string[], cwd?: string): ChildProcess;
}

/** The second user, or the reason there is none (not root). */
export function secondUser(): SecondUser | string {
  if (process.getuid?.() !== 0) return 'needs root to create and become a second user';
  try {
    execFileSync('id', ['-u', SECOND_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', SECOND_USER], { stdio: 'ignore' });
  }
  const uid = Number(execFileSync('id', ['-u', SECOND_USER], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', SECOND_USER], { encoding: 'utf8' }).trim());
  // setpriv execs the command itself (runuser forks and waits), so a signal to the child reaches it.
  const argv = (cmd: string, args: string[]): string[] => [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', cmd, ...args];
  return {
    name: SECOND_USER,
    uid,
    gid,
    run: (cmd, args, cwd) => execFileSync('setpriv', argv(cmd, args), { cwd, encoding: 'utf8', env: { PATH: process.env.PATH } }),
    spawn: (cmd, args, cwd) => spawn('setpriv', argv(cmd, args), { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH } }),
  };
}
