// Heroku's shell (HEROKU.md §1.1): dynos run `bash -c '<command>'`; bash runs a lone command in place
// (exec), so the app is the dyno's process and its exit status is the app's. Where bash is missing,
// `/bin/sh -c` (dash on Debian does not exec the last command: the shell stays the root process).
import fs from 'node:fs';
import path from 'node:path';

/** The program that runs each command with `-c`. */
export interface Shell {
  /** Absolute path of the shell. */
  path: string;
  /** True for bash (Heroku's shell); false for the /bin/sh fallback. */
  bash: boolean;
}

/** The fallback when bash is not on PATH. */
export const SH: Shell = { path: '/bin/sh', bash: false };

/** bash from `PATH` (the dynos' PATH), else /bin/sh. */
export function findShell(searchPath: string | undefined): Shell {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, 'bash');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return { path: candidate, bash: true };
    } catch {
      // not here
    }
  }
  return SH;
}

/** The shell for callers that were given none: bash from our own PATH, else /bin/sh. */
export function defaultShell(): Shell {
  return findShell(process.env.PATH);
}

/** The one notice printed at start when bash is missing, else null. */
export function shellNotice(shell: Shell): string | null {
  return shell.bash ? null : 'bash is not on PATH: commands run with /bin/sh -c (Heroku uses bash; bash-only syntax and env names with `.` or `-` may not work)';
}
