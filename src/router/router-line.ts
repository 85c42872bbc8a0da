// The heroku[router] log line (HEROKU.md §3.3): fixed field order, quoted path and fwd; built, published and parsed here.
import type { IncomingMessage } from 'node:http';
import type { LogSink } from '../core/types.js';
import type { ForwardedRequest } from './headers.js';

/** What a router line takes from the forwarded request. */
export type RequestIdentity = Pick<ForwardedRequest, 'requestId' | 'fwd'>;
import { describeCode, ROUTER_ERRORS, type Restriction, type RouterCode } from './router-errors.js';

/** Everything one router line reports. Absent values print empty, as Heroku does (`dyno= connect=`). */
export interface RouterLineFields {
  /** Set for errors and warnings; absent for `at=info`. */
  code?: RouterCode;
  /** H26's `cause="…"`. */
  cause?: string;
  /** H25's variant (`desc="HTTP restriction: oversized header"` …). */
  restriction?: Restriction;
  method: string;
  /** Path and query. */
  path: string;
  /** The Host header. */
  host: string;
  requestId: string;
  /** The X-Forwarded-For value sent to the dyno. */
  fwd: string;
  /** `web.1`, or '' when no dyno was involved. */
  dyno?: string;
  connectMs?: number;
  serviceMs?: number;
  status: number;
  /** Bytes from the dyno to the client. */
  bytes?: number;
}

/** How a request ended, without what the request itself says (method, path, host, request id, fwd). */
export type RouterOutcome = Partial<Pick<RouterLineFields, 'cause' | 'restriction' | 'dyno' | 'connectMs' | 'serviceMs' | 'bytes'>> &
  (
    | {
        code: RouterCode;
        /** Defaults to the code's status (`ROUTER_ERRORS[code].status`). */
        status?: number;
      }
    | {
        code?: undefined;
        status: number;
      }
  );

/** What the router reads back from one of its lines (the dashboard's metrics). */
export interface ParsedRouterLine {
  status: number;
  /** `service=…ms`; absent when the router never reached a dyno (H10, H20…). */
  serviceMs?: number;
  /** `code=H12`; absent for `at=info`. */
  code?: string;
}

// Render a duration the Heroku way: whole milliseconds with the unit, or nothing.
function ms(value: number | undefined): string {
  return value === undefined ? '' : `${Math.max(0, Math.round(value))}ms`;
}

// Everything after `at=… code=… desc=…`: the request, the dyno, timings, status and bytes. Positional, so the
// hot path (one at=info line per request) builds no fields object.
function formatTail(method: string, path: string, host: string, requestId: string, fwd: string, dyno: string | undefined, connectMs: number | undefined, serviceMs: number | undefined, status: number, bytes: number | undefined): string {
  return `method=${method} path="${path}" host=${host} request_id=${requestId} fwd="${fwd}" dyno=${dyno ?? ''} connect=${ms(connectMs)} service=${ms(serviceMs)} status=${status} bytes=${bytes ?? ''} protocol=http`;
}

/** The `at=info` line of a relayed response, from its values (what `formatRouterLine` prints for it, without the object). */
export function formatInfoLine(method: string, path: string, host: string, requestId: string, fwd: string, dyno: string | undefined, connectMs: number | undefined, serviceMs: number | undefined, status: number, bytes: number | undefined): string {
  return `at=info ${formatTail(method, path, host, requestId, fwd, dyno, connectMs, serviceMs, status, bytes)}`;
}

// Render one router line (without timestamp or source; the printer adds those). One template, no arrays.
export function formatRouterLine(f: RouterLineFields): string {
  const tail = formatTail(f.method, f.path, f.host, f.requestId, f.fwd, f.dyno, f.connectMs, f.serviceMs, f.status, f.bytes);
  if (!f.code) return `at=info ${tail}`;
  const info = ROUTER_ERRORS[f.code];
  const sock = info.sock ? `sock=${info.sock} ` : '';
  const cause = f.cause === undefined ? '' : ` cause="${f.cause}"`;
  return `${sock}at=${info.at} code=${f.code} desc="${describeCode(f.code, f.restriction)}"${cause} ${tail}`;
}

// The full line for a request: its own fields from req and the forwarded headers, the status from the code unless given.
export function routerLineFields(req: IncomingMessage, fwd: RequestIdentity, outcome: RouterOutcome): RouterLineFields {
  const status = outcome.code === undefined ? outcome.status : (outcome.status ?? ROUTER_ERRORS[outcome.code].status);
  return { method: req.method ?? '', path: req.url ?? '', host: req.headers.host ?? '', requestId: fwd.requestId, fwd: fwd.fwd, ...outcome, status };
}

// Publish one heroku[router] line.
export function publishRouterLine(bus: LogSink, ts: number, fields: RouterLineFields): void {
  publishRouterText(bus, ts, formatRouterLine(fields));
}

/** Publish a formatted router line. The template leaves a tree of ~30 cons strings; reading a char makes V8
 * flatten it into one sequential string, so the 1500-line history retains one string per line, not the tree. */
export function publishRouterText(bus: LogSink, ts: number, text: string): void {
  text.charCodeAt(0);
  bus.publish({ ts, source: 'heroku', dyno: 'router', stream: 'stdout', text });
}

// Anchored on what the router always writes itself, never on client-controlled text (Host, fwd, path, request id):
// the head before the first client value, the tail after the last one.
const HEAD = /^(?:sock=\w+ )?at=\w+(?: code=(H\d\d))? /;
const TAIL = / service=(?:(\d+)ms)? status=(\d{3}) bytes=\d* protocol=http$/;

/** Read status, service time and code back from a router line's text; null for any other text. */
export function parseRouterLine(text: string): ParsedRouterLine | null {
  const head = HEAD.exec(text);
  const tail = TAIL.exec(text);
  if (!head || !tail) return null;
  const parsed: ParsedRouterLine = { status: Number(tail[2]) };
  if (tail[1] !== undefined) parsed.serviceMs = Number(tail[1]);
  if (head[1] !== undefined) parsed.code = head[1];
  return parsed;
}
