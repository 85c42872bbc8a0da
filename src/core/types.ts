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
  text: string;
}

/** Something that accepts log lines (the LogBus, or a test collector). */
export interface LogSink {
  publish(line: LogLine): void;
}

/** A web dyno as the router sees it. */
export interface Backend {
  name: string;
  port: number;
  state: DynoState;
}
