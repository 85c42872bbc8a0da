// `dyno run`: resolve the command (a Procfile type + args, or a shell string), build the one-off env, run it.
import { randomInt } from 'node:crypto';
import { loadApp } from '../app/load-app.js';
import { dynoEnv, resolveBasePort } from '../app/dyno-specs.js';
import type { ProcessType } from '../core/types.js';
import { shellQuote } from '../export/quote.js';
import { runOneOff } from '../supervisor/one-off.js';
import type { Launcher } from '../supervisor/launcher.js';
import { RUN_MARKER } from '../supervisor/kill-tree.js';
import { RunTracker } from '../supervisor/run-tracker.js';
import { findShell, shellNotice } from '../supervisor/shell.js';
import { startWatchdog } from '../supervisor/watchdog.js';
import { formatProblem } from '../app/problem.js';
import { processSourceFrom } from './process-source.js';
import { toLoadAppOptions, type AppOptions } from './options.js';
import type { EphemeralFlag } from '../ephemeral/ephemeral-launcher.js';

/** What `dyno run` accepts. */
export interface RunOptions extends AppOptions {
  ephemeral?: boolean;
  ephemeralMode?: EphemeralFlag;
}
import { linkOneOff } from './one-off-link.js';

/**
 * The shell string for `dyno run` words: a Procfile type runs its command with the rest appended
 * (Heroku: `heroku run myworker 42`); one word is a shell string as typed; several words are quoted
 * one by one so `dyno run node -e "console.log(1)"` keeps its arguments.
 */
export function resolveRunCommand(words: string[], types: ProcessType[]): string {
  const [first, ...rest] = words;
  const type = types.find((t) => t.name === first);
  if (type) return [type.command, ...rest.map(shellQuote)].join(' ');
  if (words.length === 1) return first ?? '';
  return words.map(shellQuote).join(' ');
}

export async function runCommand(words: string[], opts: RunOptions): Promise<number> {
  const app = loadApp({ ...toLoadAppOptions(opts, { cwd: process.cwd(), shellEnv: process.env }), procfileOptional: true });
  const port = opts.port === undefined ? undefined : resolveBasePort({ flag: opts.port, fileEnv: app.fileEnv, shellEnv: app.shellEnv });
  const name = `run.${randomInt(1000, 10000)}`;
  const command = resolveRunCommand(words, app.types);
  const shell = findShell(app.env.PATH);
  // Only env warnings matter to a one-off (the names a shell may not pass on); stderr: stdout is the command's.
  const notices = [shellNotice(shell), ...app.problems.filter((p) => p.code === 'config-var-name').map(formatProblem)];
  for (const text of notices) if (text) process.stderr.write(`dyno: ${text}\n`);
  const source = processSourceFrom(process.env);
  const eph = opts.ephemeral ? await runEphemeral(opts, app.root) : undefined;
  const exited = await linkOneOff(app.root, { name, command, pid: process.pid }); // a running formation lists run.N
  const watchdog = startWatchdog({ source });
  const exit = await runOneOff({
    command, env: dynoEnv(app.env, name, port), cwd: app.root, launcher: eph?.launcher, dyno: name,
    shell, tracker: new RunTracker({ source }), watchdog, interactive: process.stdin.isTTY === true,
    onWatched: (opts as { debug?: boolean }).debug ? (pid, runId) => process.stderr.write(`dyno: watchdog ${pid} holds ${RUN_MARKER}=${runId}\n`) : undefined,
  });
  await eph?.drain();
  await exited(exit.status);
  return exit.status;
}

// --ephemeral for a one-off dyno: its notices go to stderr, around the command's own output.
async function runEphemeral(opts: RunOptions, root: string): Promise<{ launcher: Launcher; drain(): Promise<void> }> {
  const { setupEphemeral } = await import('../ephemeral/ephemeral-launcher.js');
  const say = (line: string): boolean => process.stderr.write(`dyno: ${line}\n`);
  const eph = setupEphemeral({ flag: opts.ephemeralMode ?? 'auto', roots: [root], env: process.env, report: say });
  say(eph.notice);
  return eph;
}
