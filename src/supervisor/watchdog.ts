// The watchdog: a tiny process that outlives the manager and stops every registered run when its pipe
// from the manager closes without a goodbye, i.e. when the manager was SIGKILLed. It runs in its own
// session, so Ctrl-C to the manager's terminal does not reach it. The manager supervises it: if the
// watchdog dies, another is started and handed every live run (one line is logged). Protocol on its
// stdin, one line each:
//   +<root> <pgid> <run id>  register   -<root> <pgid> <run id>  unregister   g<ms>  grace   s<source>  proc|ps
//   m<prefix>  every process whose marker starts with <prefix> is a run's too   q  quit quietly
// (pgid 0: the run has no group of its own, e.g. `dyno run` in the terminal's group). It writes
// `ready` on stdout once it listens. On EOF without `q`: SIGTERM once to every process of every run
// (group, descendants, marker, marker prefix), wait until they are gone or the grace (default 5 s) is
// over, SIGKILL the rest.
// Two stages (issue 13): what waits is `/bin/sh` running RELAY, ~1 MB and up in a millisecond; it
// appends every line to a file it opened and unlinked at once, in a private directory (nothing is
// left on disk, whatever kills it). Only on EOF without `q` does it exec the killer, this same binary's `dyno __watchdog`
// (watchdog-process.ts), with that file as its stdin. A Node watchdog booting beside the spawn loop
// made 100 dynos come up ~100 ms later (its start-up took the core the dynos' exec needed), and it
// held ~40 MB for the whole session. Without /bin/sh, where the file cannot be created, or when the
// killer is not there at launch, the killer itself is the watchdog, as before. A relay sent many
// lines is renewed (launchWatchdog), so the file stays about as big as the live runs.
// The manager does not wait for `ready` to use it: what it writes waits in the pipe, and a watchdog
// that has been spawned reads it even if the manager is SIGKILLed meanwhile. Lines written in one tick
// go out as one write (starting 100 dynos: one write, not 100). With the marker prefix (the manager's
// pid), a dyno spawned in that tick is held from the moment it exists, before its own line is written.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ProcessSource, RunRef } from './kill-tree.js';

/** The watchdog process's own side (`dyno __watchdog`) lives in watchdog-process.ts. */
export { runWatchdog } from './watchdog-process.js';

/** The manager's handle on its watchdog. */
export interface Watchdog {
  /** Watch a run (its process group, root and marker). */
  register(run: RunRef): void;
  unregister(run: RunRef): void;
  /** Write the lines of this tick now, not at its end (dyno run: the watchdog holds the marker before the command exists). */
  flush(): void;
  /** Say goodbye (nothing is killed) and wait for the watchdog to exit. */
  close(): Promise<void>;
  /** Pid of the current watchdog process (tests kill it). */
  readonly pid?: number;
}

/** A watchdog launched without waiting for it: `ready` settles once it listens (rejects if it never does). */
export interface LaunchedWatchdog extends Watchdog {
  readonly ready: Promise<void>;
}

/** Options of startWatchdog. */
export interface WatchdogOptions {
  /** Command that runs runWatchdog() (the killer); default: this binary with `__watchdog`. */
  argv?: string[];
  /** The shell that runs RELAY in front of the killer; null: the killer is the watchdog. Default /bin/sh if present. */
  relayShell?: string | null;
  /** Grace between SIGTERM and SIGKILL when it has to kill. Default 5000. */
  graceMs?: number;
  /** Give up if it has not said `ready` by then. Default 10000. */
  startTimeoutMs?: number;
  /** Process table source the watchdog uses (DYNO_PROC_FALLBACK=ps). */
  source?: ProcessSource;
  /** Every process whose marker starts with this is held too (the RunTracker's prefix: runs not yet registered). */
  markerPrefix?: string;
  /** Told once each time a dead watchdog was replaced (or could not be). */
  onReplaced?(text: string): void;
  /** A relay that was sent more lines than this plus 4 per live run is replaced by a fresh one holding the live runs only. Default 1000. */
  rotateAfterLines?: number;
}

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

// What to spawn: the relay in front of the killer, or the killer alone (no shell, no private
// directory); `done` removes the relay's directory once the watchdog is up or failed, should the
// relay not have.
function watchdogArgv(o: WatchdogOptions): { argv: string[]; relay: boolean; done(): void } {
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

// Wait for the `ready` line (or fail if the process dies or stays silent).
function awaitReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => fail(err.message);
    const onExit = (code: number | null, signal: string | null): void => fail(`exited with ${signal ?? code}`);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.off('error', onError);
      child.off('exit', onExit);
    };
    const fail = (why: string): void => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`watchdog did not start: ${why}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    let seen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (!seen.includes('ready\n')) return;
      cleanup();
      resolve();
    });
    child.once('error', onError);
    child.once('exit', onExit);
  });
}

const runKey = (run: RunRef): string => `${run.root} ${run.pgid} ${run.runId}`;

/** One watchdog process: its pipe, and whether it has said `ready`. */
interface Launched {
  child: ChildProcess;
  stdin: Socket;
  ready: Promise<void>;
  isReady: boolean;
  /** Behind the relay, which keeps every line it is sent (rotated: see launchWatchdog). */
  relay: boolean;
}

// Start one watchdog process and hand it the settings and `runs` at once (they wait in the pipe).
function launch(o: WatchdogOptions, runs: Iterable<RunRef>): Launched {
  const command = watchdogArgv(o);
  const [file, ...args] = command.argv;
  const child = spawn(file!, args, { detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
  const stdin = child.stdin as Socket;
  stdin.on('error', () => undefined); // the watchdog died: the manager replaces it
  const settings = [`g${o.graceMs ?? 5000}`, ...(o.source ? [`s${o.source}`] : []), ...(o.markerPrefix ? [`m${o.markerPrefix}`] : [])];
  stdin.write(`${[...settings, ...[...runs].map((run) => `+${runKey(run)}`)].join('\n')}\n`);
  const launched: Launched = { child, stdin, ready: awaitReady(child, o.startTimeoutMs ?? 10_000), isReady: false, relay: command.relay };
  launched.ready.then(() => {
    launched.isReady = true;
    child.stdout!.destroy();
  }, () => undefined).finally(command.done);
  // Never keep the manager alive on its own account.
  child.unref();
  stdin.unref();
  return launched;
}

/** Start the watchdog process and wait until it listens; a watchdog that dies is replaced. */
export async function startWatchdog(o: WatchdogOptions = {}): Promise<Watchdog> {
  const watchdog = launchWatchdog(o);
  await watchdog.ready;
  return watchdog;
}

/**
 * Start the watchdog process without waiting for it (see the top of this file); `ready` tells whether
 * it came up. A watchdog that dies after it was ready is replaced.
 */
export function launchWatchdog(o: WatchdogOptions = {}): LaunchedWatchdog {
  const runs = new Map<string, RunRef>();
  let current = launch(o, []);
  let closing = false;
  let pending = '';
  /** Lines sent to the current watchdog since it was launched. */
  let sent = 0;
  // Lines of one tick go out together; a watchdog that died gets nothing (its successor is handed `runs`).
  const flush = (): void => {
    const lines = pending;
    pending = '';
    if (lines && current.stdin.writable) current.stdin.write(lines);
    if (current.relay && !closing && sent > (o.rotateAfterLines ?? 1000) + 4 * runs.size) rotate();
  };
  const send = (line: string): void => {
    if (!pending) queueMicrotask(flush);
    pending += `${line}\n`;
    sent++;
  };
  // The relay keeps every line (a crash loop adds two per restart): a fresh one is handed the live
  // runs, then the old one is told goodbye, at once, so that at most a few instructions' worth of time
  // has both holding the runs.
  const rotate = (): void => {
    const old = current;
    current = launch(o, runs.values());
    sent = runs.size;
    supervise(current);
    const next = current;
    next.ready.catch((err: Error) => o.onReplaced?.(`watchdog (pid ${old.child.pid}) could not be renewed: ${err.message}`));
    if (old.stdin.writable) old.stdin.end('q\n');
  };
  // The watchdog died while we live: start another at once and hand it every live run (registrations
  // made from now on go to the new one's pipe). One that never came up is not replaced again.
  const supervise = (launched: Launched): void => {
    launched.child.once('exit', (code, signal) => {
      if (closing || launched !== current || !launched.isReady) return;
      const dead = `watchdog (pid ${launched.child.pid}) died (${signal ?? `exit ${code}`})`;
      pending = '';
      current = launch(o, runs.values());
      const next = current;
      supervise(next);
      next.ready.then(
        () => o.onReplaced?.(`${dead}; started another (pid ${next.child.pid}) for ${runs.size} run(s)`),
        (err: Error) => o.onReplaced?.(`${dead} and could not be replaced: ${err.message}`),
      );
    });
  };
  supervise(current);
  const first = current.ready;
  return {
    ready: first,
    get pid() {
      return current.child.pid ?? 0;
    },
    register: (run) => {
      runs.set(runKey(run), run);
      send(`+${runKey(run)}`);
    },
    unregister: (run) => {
      runs.delete(runKey(run));
      send(`-${runKey(run)}`);
    },
    flush,
    close: async () => {
      closing = true;
      flush();
      const { child, stdin } = current;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.ref();
      if (stdin.writable) stdin.write('q\n');
      stdin.end();
      await exited;
    },
  };
}
