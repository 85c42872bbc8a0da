// The vocabulary shared by every module (ARCHITECTURE.md §3). Values only: no behaviour here.

/** One Procfile entry, e.g. `web: npm start`. */
export interface ProcessType {
  /** Type name exactly as written (`web`, `urgent-worker`). */
  name: string;
  /** The shell string run with `/bin/sh -c`. */
  command: string;
  /** Position among the Procfile's types, from 0; fixes the port block. */
  index: number;
  /** 1-based line in the Procfile, for messages. */
  line: number;
}

/** Desired count per process type, in Procfile order. */
export type Formation = Record<string, number>;

/** One dyno as planned: static across restarts. */
export interface DynoSpec {
  /** `web.1` */
  name: string;
  /** `web` */
  type: string;
  /** Instance number from 1. */
  instance: number;
  command: string;
  /** The complete environment the child gets (shell < env files < per-dyno vars). */
  env: Record<string, string>;
  /** `$PORT` of this dyno. */
  port: number;
  /** Working directory of its runs when not the app root (dyno start --slug: the release's slug). */
  cwd?: string;
}

/** `complete`: a dyno that may die (--can-die) exited 0 and stays so (Heroku's one-off final state). */
export type DynoState = 'starting' | 'up' | 'crashed' | 'complete' | 'restarting' | 'stopping' | 'down';

/** How one child ended. `status` is Heroku's: the code, or 128 + signal number. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  status: number;
}

/** Where a log line comes from: app output, the dyno manager/router (`heroku`), or dyno's own notices. */
export type LogSource = 'app' | 'heroku' | 'dyno';

/** One complete line, the single record type of the log pipeline. */
export interface LogLine {
  /** Milliseconds since the epoch, fractional (µs), taken when the line was assembled. */
  ts: number;
  source: LogSource;
  /** `web.1`, `router`, `release.1`, `run.1`; `''` for dyno's own lines. */
  dyno: string;
  stream: 'stdout' | 'stderr';
  /** The line as text. App lines decode `bytes` (UTF-8, invalid bytes → U+FFFD) on first read. */
  readonly text: string;
  /**
   * App lines only: the exact bytes the dyno wrote, without the newline (maybe invalid UTF-8, ANSI
   * included). The pretty and heroku formats print these; JSON and the dashboard use `text`.
   */
  readonly bytes?: Buffer;
}

/** Something that accepts log lines (the LogBus, or a test collector). */
export interface LogSink {
  publish(line: LogLine): void;
  /** When set, tells the dynos' pipes to stop being read while output is stalled (the LogBus's). */
  readonly gate?: OutputGate;
}

/** Pauses the reading of every dyno's pipes while stdout cannot keep up (backpressure). */
export interface OutputGate {
  /** True while the pipes should not be read. */
  readonly paused: boolean;
  /** Call `fn` on every change; returns the unsubscribe function. */
  watch(fn: (paused: boolean) => void): () => void;
}

/** A web dyno as the router sees it. */
export interface Backend {
  name: string;
  port: number;
  state: DynoState;
}
