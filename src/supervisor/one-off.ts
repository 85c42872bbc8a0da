// A one-off dyno (`dyno run`): the command attached to our terminal, like `heroku run`.
// Not detached: it stays in the terminal's foreground process group, so Ctrl-C and job control
// reach it directly, as they would reach a REPL or a debugger started from the shell.
import { spawn } from 'node:child_process';
import { exitInfo } from '../core/signals.js';
import type { ExitInfo } from '../core/types.js';
import type { Launcher } from './launcher.js';

export interface OneOffOptions {
  command: string;
  env: Record<string, string>;
  cwd: string;
  /** Wraps the spawn (dyno run --ephemeral); its `ended` runs after the command's 'close'. */
  launcher?: Launcher;
  /** Name for the launcher (`run.4242`). */
  dyno?: string;
}

/** Run to completion with inherited stdio; signals sent to dyno itself are forwarded. */
export function runOneOff(o: OneOffOptions): Promise<ExitInfo> {
  return new Promise((resolve, reject) => {
    const argv = ['/bin/sh', '-c', o.command];
    const launch = o.launcher?.({ argv, dyno: o.dyno ?? 'run', cwd: o.cwd }) ?? { file: argv[0]!, args: argv.slice(1) };
    const child = spawn(launch.file, launch.args, { cwd: o.cwd, env: o.env, stdio: 'inherit' });
    // The terminal already delivers SIGINT/SIGQUIT to the child's group; for the others, pass them on.
    const ignore = (): void => undefined;
    const forward = (sig: NodeJS.Signals): void => {
      child.kill(sig);
    };
    const ignored: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];
    const forwarded: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'];
    for (const sig of ignored) process.on(sig, ignore);
    for (const sig of forwarded) process.on(sig, forward);
    const release = (): void => {
      for (const sig of ignored) process.off(sig, ignore);
      for (const sig of forwarded) process.off(sig, forward);
    };
    child.once('error', (err) => {
      release();
      reject(err);
    });
    child.once('close', (code, signal) => {
      release();
      const exit = exitInfo(code, signal);
      launch.ended?.(exit);
      resolve(exit);
    });
  });
}
