// The one error class. Every user-facing failure is a DynoError; only main.ts prints and exits.
//   PROCFILE_NOT_FOUND  no Procfile, or it is not a readable file
//   PROCFILE_SYNTAX     Procfile has errors (see `dyno check`)
//   DUPLICATE_TYPE      a process type defined twice
//   UNKNOWN_TYPE        a formation or command names a type the Procfile lacks
//   BAD_FORMATION       a formation token that does not parse or breaks a limit
//   ENV_NOT_FOUND       a named env file is missing or unreadable
//   ENV_SYNTAX          an env file is not text
//   PORT_RANGE          the port scheme leaves 1024..65535
//   PORT_IN_USE         a port dyno must bind is taken
//   ALREADY_RUNNING     another dyno start runs for this app
//   NOT_RUNNING         no dyno start to talk to
//   CONTROL_PROTOCOL    the control socket answered nonsense
//   EXPORT_WRITE        an export file could not be written
//   RELEASE_FAILED      the release phase exited non-zero
//   BUILD_FAILED        dyno start --slug: the slug build failed (exit code: the build step's)
//   USAGE               a flag or argument is wrong
//   UNSAFE_PATH         a runtime directory or token file another user could control (or none usable)

export type ErrorCode =
  | 'PROCFILE_NOT_FOUND'
  | 'PROCFILE_SYNTAX'
  | 'DUPLICATE_TYPE'
  | 'UNKNOWN_TYPE'
  | 'BAD_FORMATION'
  | 'ENV_NOT_FOUND'
  | 'ENV_SYNTAX'
  | 'PORT_RANGE'
  | 'PORT_IN_USE'
  | 'ALREADY_RUNNING'
  | 'NOT_RUNNING'
  | 'CONTROL_PROTOCOL'
  | 'EXPORT_WRITE'
  | 'RELEASE_FAILED'
  | 'BUILD_FAILED'
  | 'USAGE'
  | 'UNSAFE_PATH';

/** Exit code per error: 2 for usage and configuration, 1 for runtime failures. */
const EXIT_CODES: Record<ErrorCode, number> = {
  PROCFILE_NOT_FOUND: 2,
  PROCFILE_SYNTAX: 2,
  DUPLICATE_TYPE: 2,
  UNKNOWN_TYPE: 2,
  BAD_FORMATION: 2,
  ENV_NOT_FOUND: 2,
  ENV_SYNTAX: 2,
  PORT_RANGE: 2,
  PORT_IN_USE: 1,
  ALREADY_RUNNING: 1,
  NOT_RUNNING: 1,
  CONTROL_PROTOCOL: 1,
  EXPORT_WRITE: 1,
  RELEASE_FAILED: 1,
  BUILD_FAILED: 1,
  USAGE: 2,
  UNSAFE_PATH: 1,
};

export interface DynoErrorOptions {
  hint?: string;
  cause?: unknown;
  /** Override the code's default exit code (e.g. a release's own status). */
  exitCode?: number;
}

export class DynoError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: DynoErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'DynoError';
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT_CODES[code];
    this.hint = options.hint;
  }
}

/** Thrown by a command that finished on purpose with a non-zero code and has nothing more to say. */
export class ExitRequest extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitRequest';
  }
}
