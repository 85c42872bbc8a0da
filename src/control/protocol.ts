// The control protocol between `dyno start` and its clients: one JSON object per line (NDJSON) over
// a Unix socket. Every request carries the protocol version and an id; the server answers each
// request with exactly one reply carrying the same id, `ok: true` plus the verb's fields or
// `ok: false` plus an error. `logs` with `follow` then streams `line` messages until the client leaves.
//
//   → {"v":1,"id":1,"verb":"scale","args":["web=3","worker+1"]}
//   ← {"v":1,"id":1,"ok":true,"formation":{"web":3,"worker":2,"clock":0}}
//   → {"v":1,"id":2,"verb":"scale","args":["nosuch=1"]}
//   ← {"v":1,"id":2,"ok":false,"error":{"code":"UNKNOWN_TYPE","message":"…","hint":"the Procfile defines: web, worker, clock"}}
//   → {"v":1,"id":3,"verb":"logs","num":2,"follow":true}
//   ← {"v":1,"id":3,"ok":true,"lines":[{…},{…}]}
//   ← {"v":1,"id":3,"line":{"ts":1344688920123.456,"source":"app","dyno":"web.1","stream":"stdout","text":"GET /"}}
//   → {"v":1,"id":4,"verb":"stats"}
//   ← {"v":1,"id":4,"ok":true,"router":{"url":"http://127.0.0.1:5006","timeoutMs":30000},"cores":2,"manager":{…},"dynos":[{…,"cpuMs":812}],"formation":{…}}
import type { ErrorCode } from '../core/errors.js';
import type { DynoState, Formation, LogLine } from '../core/types.js';
import type { ReleaseRow } from '../deploy/release-lines.js';
import type { LoadStats } from '../load/load-stats.js';

/** Bumped on any incompatible change; a mismatch is answered with CONTROL_PROTOCOL. */
export const PROTOCOL_VERSION = 1;

/** A request or reply line longer than this is refused (nothing legitimate comes close). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** One row of `dyno ps`. */
export interface DynoRow {
  name: string;
  type: string;
  state: DynoState;
  /** Pid of the current run's `/bin/sh`, null when none runs. */
  pid: number | null;
  port: number;
  /** Time since the current run started, null when none runs. */
  uptimeMs: number | null;
  restarts: number;
  /** Resident memory of the run's whole process tree, null when unknown (no /proc). */
  rssBytes: number | null;
  /** The dyno's memory quota in MB; only with `dyno start --size`. */
  memoryQuotaMb?: number;
  /** Status of the run that ended, while the dyno stays `crashed` or `complete` (e.g. --can-die). */
  exitStatus?: number;
  command: string;
}

/** What `dyno logs` asks for. */
export interface LogQuery {
  /** How many recent lines (Heroku's default: 100). */
  num: number;
  /** Only this dyno (`web.1`, `router`). */
  dyno?: string;
  /** Only this process type (`web`). */
  type?: string;
  /** Only app output, or only the platform's lines (`heroku[…]`). */
  source?: 'app' | 'heroku';
  /** Keep the connection and stream new lines. */
  follow: boolean;
}

/** Each verb's request fields and reply fields. */
export interface Verbs {
  hello: { request: Record<never, never>; reply: { pid: number; root: string } };
  ps: { request: Record<never, never>; reply: { dynos: DynoRow[]; formation: Formation } };
  scale: { request: { args: string[] }; reply: { formation: Formation } };
  restart: { request: { target?: string }; reply: { dynos: string[] } };
  stop: { request: { target: string }; reply: { dynos: string[] } };
  logs: { request: LogQuery; reply: { lines: LogLine[] } };
  /** The dashboard's URL (token included), starting the dashboard if needed. */
  dashboard: { request: Record<never, never>; reply: { url: string } };
  /** dyno start --slug: every release, oldest first. */
  releases: { request: Record<never, never>; reply: { releases: ReleaseRow[] } };
  /** dyno start --slug: a new release of vN's slug (default: the one before the current). */
  rollback: { request: { version?: number }; reply: { release: ReleaseRow } };
  /** What `dyno load` samples: the router's address, each dyno's CPU time and RSS, dyno start's own. */
  stats: { request: Record<never, never>; reply: LoadStats };
  /** `dyno load` hands its latest result (a LoadReport) to dyno start, for the dashboard's panel. */
  'load-report': { request: { report: Record<string, unknown> }; reply: Record<never, never> };
  /** `dyno connect`: the dyno's recent lines, then its lines streamed (as `logs --follow`). `web` means web.1. */
  connect: { request: { dyno: string; num?: number }; reply: { dyno: string; lines: LogLine[] } };
  /** A `dyno run` of this app tells the formation about its one-off dyno (started, then exited). */
  'one-off': { request: { event: 'started' | 'exited'; name: string; command?: string; pid?: number; status?: number }; reply: Record<never, never> };
  /** Text for a dyno's stdin (`dyno connect` sends each typed line). */
  input: { request: { dyno: string; data: string }; reply: { bytes: number } };
}

export type Verb = keyof Verbs;
export const VERBS: readonly Verb[] = ['hello', 'ps', 'scale', 'restart', 'stop', 'logs', 'dashboard', 'releases', 'rollback', 'stats', 'load-report', 'connect', 'input', 'one-off'];

/** A request without its envelope. */
export type Request = { [V in Verb]: { verb: V } & Verbs[V]['request'] }[Verb];
export type RequestOf<V extends Verb> = V extends Verb ? { verb: V } & Verbs[V]['request'] : never;

/** A failure as it travels: a DynoError's code, message and hint. */
export interface WireError {
  code: ErrorCode;
  message: string;
  hint?: string;
}

/** What the client receives for one request id. */
export type Message =
  | { kind: 'reply'; ok: true; body: Record<string, unknown> }
  | { kind: 'reply'; ok: false; error: WireError }
  | { kind: 'line'; line: LogLine };

/** A decoded request line: the request, or the error to answer with (id null when unreadable). */
export type DecodedRequest = { ok: true; id: number; request: Request } | { ok: false; id: number | null; error: WireError };

/** One NDJSON line: the object as JSON plus `\n` (JSON.stringify escapes every newline inside strings). */
export function encodeMessage(message: object): string {
  return `${JSON.stringify(message)}\n`;
}

/** The line a client sends. */
export function encodeRequest(id: number, request: Request): string {
  return encodeMessage({ v: PROTOCOL_VERSION, id, ...request });
}

/** The line a server sends for a request: `ok` plus fields, or the error. */
export function encodeReply(id: number | null, reply: { ok: true; body: object } | { ok: false; error: WireError }): string {
  return reply.ok ? encodeMessage({ v: PROTOCOL_VERSION, id, ...reply.body, ok: true }) : encodeMessage({ v: PROTOCOL_VERSION, id, ok: false, error: reply.error });
}

/** A streamed log line of a `logs --follow` request. */
export function encodeLine(id: number, line: LogLine): string {
  return encodeMessage({ v: PROTOCOL_VERSION, id, line });
}

const protocolError = (message: string, hint?: string): WireError => ({ code: 'CONTROL_PROTOCOL', message, hint });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isOptionalString = (v: unknown): boolean => v === undefined || typeof v === 'string';

// Check the fields one verb needs; returns the reason when they are wrong.
function checkFields(verb: Verb, o: Record<string, unknown>): string | null {
  switch (verb) {
    case 'scale':
      return Array.isArray(o.args) && o.args.every((a) => typeof a === 'string') ? null : 'scale needs "args": an array of strings';
    case 'restart':
      return isOptionalString(o.target) ? null : 'restart "target" must be a string';
    case 'stop':
      return typeof o.target === 'string' ? null : 'stop needs a "target" string';
    case 'rollback':
      return o.version === undefined || (Number.isInteger(o.version) && (o.version as number) > 0) ? null : 'rollback "version" must be an integer ≥ 1';
    case 'logs': {
      const numOk = Number.isInteger(o.num) && (o.num as number) >= 0;
      const sourceOk = o.source === undefined || o.source === 'app' || o.source === 'heroku';
      const ok = numOk && sourceOk && typeof o.follow === 'boolean' && isOptionalString(o.dyno) && isOptionalString(o.type);
      return ok ? null : 'logs needs "num" (integer ≥ 0), "follow" (boolean), optional "dyno", "type", "source" (app|heroku)';
    }
    case 'load-report':
      return isObject(o.report) ? null : 'load-report needs a "report" object';
    case 'connect':
      return typeof o.dyno === 'string' && (o.num === undefined || (Number.isInteger(o.num) && (o.num as number) >= 0)) ? null : 'connect needs a "dyno" string and an optional "num" (integer ≥ 0)';
    case 'one-off': {
      const ok = (o.event === 'started' || o.event === 'exited') && typeof o.name === 'string' && /^run\.\d+$/.test(o.name) && isOptionalString(o.command);
      return ok && (o.pid === undefined || Number.isInteger(o.pid)) && (o.status === undefined || Number.isInteger(o.status)) ? null : 'one-off needs "event" (started|exited), "name" (run.N), optional "command", "pid", "status"';
    }
    case 'input':
      return typeof o.dyno === 'string' && typeof o.data === 'string' ? null : 'input needs "dyno" and "data" strings';
    default:
      return null;
  }
}

/** Parse and check one request line; an unknown verb or a bad field is an error to answer with. */
export function decodeRequest(text: string): DecodedRequest {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: protocolError('request is not JSON') };
  }
  if (!isObject(o)) return { ok: false, id: null, error: protocolError('request is not a JSON object') };
  const id = Number.isSafeInteger(o.id) ? (o.id as number) : null;
  if (id === null) return { ok: false, id: null, error: protocolError('request has no integer "id"') };
  if (o.v !== PROTOCOL_VERSION) {
    const hint = 'the client and `dyno start` are different dyno versions; restart `dyno start` with this one';
    return { ok: false, id, error: protocolError(`protocol version ${JSON.stringify(o.v)} is not supported (this dyno speaks ${PROTOCOL_VERSION})`, hint) };
  }
  if (typeof o.verb !== 'string' || !(VERBS as readonly string[]).includes(o.verb)) {
    return { ok: false, id, error: protocolError(`unknown verb ${JSON.stringify(o.verb)}`, `known verbs: ${VERBS.join(', ')}`) };
  }
  const verb = o.verb as Verb;
  const problem = checkFields(verb, o);
  if (problem) return { ok: false, id, error: protocolError(problem) };
  const { v: _v, id: _id, ...request } = o;
  return { ok: true, id, request: request as Request };
}

/** Parse one line a client receives for request `id`; null when it is not one (then the server is confused). */
export function decodeMessage(text: string, id: number): Message | null {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(o) || o.v !== PROTOCOL_VERSION || o.id !== id) return null;
  if (isObject(o.line)) return { kind: 'line', line: o.line as unknown as LogLine };
  if (o.ok === true) {
    const { v: _v, id: _id, ok: _ok, ...body } = o;
    return { kind: 'reply', ok: true, body };
  }
  const e = o.error;
  if (o.ok !== false || !isObject(e) || typeof e.code !== 'string' || typeof e.message !== 'string' || !isOptionalString(e.hint)) return null;
  return { kind: 'reply', ok: false, error: { code: e.code as ErrorCode, message: e.message, hint: e.hint as string | undefined } };
}

/** Bytes → whole lines, UTF-8 safe across chunks. Throws RangeError past MAX_MESSAGE_BYTES. */
export class LineReader {
  private rest = '';
  private readonly decoder = new TextDecoder('utf-8');

  push(chunk: Uint8Array): string[] {
    const parts = (this.rest + this.decoder.decode(chunk, { stream: true })).split('\n');
    this.rest = parts.pop() ?? '';
    if (this.rest.length > MAX_MESSAGE_BYTES) throw new RangeError(`control message longer than ${MAX_MESSAGE_BYTES} bytes`);
    return parts.filter((p) => p.trim() !== '');
  }
}
