// `dyno load --ndjson` as a child process of dyno start (the dashboard's runs): autocannon then burns
// its own process's CPU, not the event loop that routes the very requests being measured. Its own
// process group, so the terminal's Ctrl-C reaches dyno start only (which stops it); stdin is a pipe
// whose end (dyno start gone, even by SIGKILL) stops the run as Ctrl-C does.
import { spawn } from 'node:child_process';
import { LineReader } from '../control/protocol.js';

/** One event of `dyno load --ndjson` (see load-command.ts); anything unreadable is skipped. */
export type LoadEvent = Record<string, unknown> & { type: string };

export interface SpawnLoadOptions {
  /** `dyno load` arguments after `load`. */
  args: string[];
  /** The app directory (the child's cwd; `--root` is passed too). */
  root: string;
  /** The dyno binary; default: this one (the SEA executable, or node + the bundle). */
  argv?: string[];
  onEvent(event: LoadEvent): void;
}

/** A running `dyno load`. */
export interface LoadChild {
  pid: number | undefined;
  /** Resolves with the exit code (128+n for a signal) and the end of its stderr. */
  exit: Promise<{ code: number; stderr: string }>;
  /** SIGINT: stop as Ctrl-C does (a sweep restores the formation). */
  interrupt(): void;
  kill(): void;
}

/** Most stderr kept (the error line main.ts prints is short). */
const STDERR_KEEP = 4096;

// How to run ourselves: SEA binary → [binary], bundle → [node, …execArgv, bundle] (as watchdog.ts does).
function selfArgv(): string[] {
  const sea = process.getBuiltinModule('node:sea') as { isSea(): boolean } | undefined;
  if (sea?.isSea()) return [process.execPath];
  return [process.execPath, ...process.execArgv.filter((a) => !a.startsWith('--inspect')), process.argv[1] ?? ''];
}

/** Start `dyno load --ndjson --stop-on-stdin-end <args> --root <root>`. */
export function spawnLoad(o: SpawnLoadOptions): LoadChild {
  const [file, ...pre] = o.argv ?? selfArgv();
  const child = spawn(file!, [...pre, 'load', ...o.args, '--ndjson', '--stop-on-stdin-end', '--root', o.root], {
    cwd: o.root,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
  });
  const reader = new LineReader();
  child.stdout!.on('data', (chunk: Buffer) => {
    let texts: string[];
    try {
      texts = reader.push(chunk);
    } catch {
      return; // a line past 1 MB: no event of ours
    }
    for (const text of texts) {
      try {
        const event = JSON.parse(text) as LoadEvent;
        if (typeof event === 'object' && event !== null && typeof event.type === 'string') o.onEvent(event);
      } catch {
        // not an event line
      }
    }
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => void (stderr = (stderr + text).slice(-STDERR_KEEP)));
  child.stdin!.on('error', () => undefined); // the child left first
  const exit = new Promise<{ code: number; stderr: string }>((resolve) => {
    child.once('error', (err) => resolve({ code: 127, stderr: err.message }));
    child.once('close', (code, signal) => resolve({ code: code ?? (signal === 'SIGKILL' ? 137 : 130), stderr }));
  });
  const signal = (sig: NodeJS.Signals): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  };
  return { pid: child.pid, exit, interrupt: () => signal('SIGINT'), kill: () => signal('SIGKILL') };
}
