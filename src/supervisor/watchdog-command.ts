// How the watchdog process is started (watchdog.ts has the protocol).
// Two stages (issue 13): what waits is `/bin/sh` running RELAY, ~1 MB and up in a millisecond; it
// appends every line to a file it opened and unlinked at once, in a private directory (nothing is
// left on disk, whatever kills it). Only on EOF without `q` does it run the killer, this same
// binary's `dyno __watchdog` (watchdog-process.ts), with that file as its stdin. A Node watchdog
// booting beside the spawn loop made 100 dynos come up ~100 ms later (its start-up took the core the
// dynos' exec needed), and it held ~40 MB for the whole session. Without /bin/sh, where the file
// cannot be created, or when the killer is not there at launch, the killer itself is the watchdog, as
// before. A relay sent many lines is renewed (launchWatchdog), so the file stays about as big as the
// live runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const isSea = (): boolean => (process.getBuiltinModule('node:sea') as { isSea(): boolean } | undefined)?.isSea() === true;

// How to run ourselves: SEA binary → [binary, '__watchdog'], bundle → [node, bundle, '__watchdog'].
function selfArgv(): string[] {
  if (isSea()) return [process.execPath, '__watchdog'];
  return [process.execPath, process.argv[1] ?? '', '__watchdog'];
}

/**
 * The first stage, `sh -c RELAY sh <dir> <killer argv…>`. It ignores SIGHUP, SIGINT and SIGPIPE (as
 * the killer does: a `ready` written after the manager died must not end it). In <dir> (0700, made by
 * the manager, so no one else can put a link or a FIFO there) the file `lines` is created exclusively
 * (noclobber) and privately, opened for reading too, and the directory removed (`command -p`: whatever
 * the dynos' PATH holds); each line read is appended to it until `q` (exit quietly) or EOF (exec the
 * killer on the file, as a child). `command exec` keeps a failed redirection from ending the shell: a
 * file that cannot be created makes the killer read the pipe itself. A killer that fails (its files
 * gone: dyno upgraded or rebuilt meanwhile) leaves the shell to do the least, from its own descriptor
 * on the file: each run still registered gets SIGTERM (its group, or its root when it has none), then
 * SIGKILL after the grace.
 */
export const RELAY = [
  'trap \'\' HUP INT PIPE',
  'd=$1; shift',
  'umask 077; set -C',
  'if command exec 3>"$d/lines"; then exec 4<"$d/lines" 5<"$d/lines"; command -p rm -rf -- "$d"; else exec "$@"; fi',
  'echo ready',
  'while IFS= read -r line; do',
  '  [ "$line" = q ] && exit 0',
  '  printf \'%s\\n\' "$line" >&3',
  'done',
  '"$@" <&4 >/dev/null 3>&- 4<&- 5<&- && exit 0',
  'g=5000 live=',
  'while IFS= read -r line; do',
  '  case $line in',
  '    g*) g=${line#g} ;;',
  '    +*) live="$live|${line#+}|" ;;',
  '    -*) r="|${line#-}|"; case $live in *"$r"*) live=${live%%"$r"*}${live#*"$r"} ;; esac ;;',
  '  esac',
  'done <&5',
  'case $g in \'\'|*[!0-9]*) g=5000 ;; esac',
  'set -f',
  'each() {',
  '  IFS=\'|\'',
  '  for run in $live; do',
  '    IFS=\' \'',
  '    set -- $run',
  '    [ -n "$1" ] || continue',
  '    if [ "$2" != 0 ]; then kill -s "$sig" -- "-$2"; else kill -s "$sig" "$1"; fi 2>/dev/null',
  '  done',
  '}',
  'sig=TERM each',
  'command -p sleep $(( (g + 999) / 1000 ))',
  'sig=KILL each',
].join('\n');

// /bin/sh when it exists (every Unix has it; a stripped container may not).
function defaultRelayShell(): string | null {
  return fs.existsSync('/bin/sh') ? '/bin/sh' : null;
}

/**
 * What to spawn: the relay in front of the killer, or the killer alone (no shell, no private
 * directory); `done` removes the relay's directory once the watchdog is up or failed, should the
 * relay not have.
 */
export function watchdogCommand(o: { argv?: string[]; relayShell?: string | null }): { argv: string[]; relay: boolean; done(): void } {
  const killer = o.argv ?? selfArgv();
  const shell = o.relayShell === undefined ? defaultRelayShell() : o.relayShell;
  let dir: string | undefined;
  try {
    // The killer must be there now: the relay's `ready` does not prove it, so a killer that cannot run
    // is spawned as the watchdog itself and fails the start loudly.
    fs.accessSync(killer[0]!, fs.constants.X_OK);
    if (o.argv === undefined && !isSea()) fs.accessSync(killer[1]!, fs.constants.R_OK);
    if (shell) dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-watchdog-'));
  } catch {
    // no killer, or no writable temp dir: the killer waits itself
  }
  if (!shell || !dir) return { argv: killer, relay: false, done: () => undefined };
  const done = (): void => {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // an empty directory left in the temp dir, nothing more
    }
  };
  return { argv: [shell, '-c', RELAY, 'sh', dir, ...killer], relay: true, done };
}

