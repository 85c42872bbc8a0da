// Request and response headers the way Heroku's router sets them (HEROKU.md §3.4) and its size limits (§3.5).
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Request line, header line: at most this many bytes (vegur). */
export const MAX_LINE_BYTES = 8192;
/** Header name: at most this many bytes. */
export const MAX_HEADER_NAME_BYTES = 1000;
/** At most this many header lines. */
export const MAX_HEADERS = 1000;

// RFC 7230 §6.1 plus the legacy ones; `transfer-encoding` is handled by node's own framing.
const HOP_BY_HOP: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'upgrade']);

const REQUEST_ID = /^[A-Za-z0-9+/=-]{20,200}$/;

/** What the router knows about the client connection, for the X-Forwarded-* headers. */
export interface ForwardContext {
  /** The client's address as the socket reports it. */
  remoteAddress: string;
  /** The port the client connected to. */
  localPort: number;
  /** Milliseconds since the epoch when the router received the request. */
  nowMs: number;
  /** Makes a fresh request id (a UUID). */
  newId: () => string;
}

/** Headers for the dyno plus the values the router line reports. */
export interface ForwardedRequest {
  headers: OutgoingHttpHeaders;
  requestId: string;
  fwd: string;
}

/** Whether a client-sent X-Request-Id is kept (20–200 chars of [A-Za-z0-9+/=-]). */
export function isValidRequestId(value: string | undefined): value is string {
  return value !== undefined && REQUEST_ID.test(value);
}

// Remove hop-by-hop headers, including those the Connection header names, into a fresh object
// (built, not spread-then-deleted: `delete` would turn it into a slow dictionary-mode object).
export function stripHopByHop(headers: IncomingHttpHeaders, dropFraming = false, dropExpect = false): OutgoingHttpHeaders {
  const named = headers.connection === undefined ? undefined : connectionTokens(headers.connection);
  const out: OutgoingHttpHeaders = {};
  for (const name of Object.keys(headers)) {
    if (HOP_BY_HOP.has(name) || named?.includes(name)) continue;
    if ((dropFraming && name === 'transfer-encoding') || (dropExpect && name === 'expect')) continue;
    out[name] = headers[name];
  }
  return out;
}

/** Appended to `Via` both ways, as Heroku's (legacy, vegur) router does. */
export const VIA = '1.1 vegur';

// The client-bound headers of a dyno's response: hop-by-hop and framing gone (node re-frames), Via appended.
export function forwardResponseHeaders(incoming: IncomingHttpHeaders): OutgoingHttpHeaders {
  const headers = stripHopByHop(incoming, true);
  headers.via = incoming.via ? `${incoming.via}, ${VIA}` : VIA;
  return headers;
}

// The header names a Connection header lists, lower-cased; none beyond the usual for keep-alive/close.
function connectionTokens(value: string): string[] | undefined {
  const lower = value.toLowerCase();
  if (lower === 'keep-alive' || lower === 'close') return undefined;
  return lower.split(',').map((token) => token.trim());
}

// The client's IP without the IPv4-mapped IPv6 prefix.
function clientIp(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

// Build the dyno-bound headers: request id, start time, X-Forwarded-*, Via; hop-by-hop and Expect gone.
export function forwardRequestHeaders(incoming: IncomingHttpHeaders, ctx: ForwardContext): ForwardedRequest {
  const headers = stripHopByHop(incoming, false, true);
  const given = incoming['x-request-id'];
  const requestId = typeof given === 'string' && isValidRequestId(given) ? given : ctx.newId();
  const prior = incoming['x-forwarded-for'];
  const fwd = prior ? `${prior}, ${clientIp(ctx.remoteAddress)}` : clientIp(ctx.remoteAddress);
  headers['x-request-id'] = requestId;
  headers['x-request-start'] = String(Math.floor(ctx.nowMs));
  headers['x-forwarded-for'] = fwd;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-port'] = String(ctx.localPort);
  headers.via = incoming.via ? `${incoming.via}, ${VIA}` : VIA;
  return { headers, requestId, fwd };
}

/** The parts of a parsed request the limits look at. */
export interface RequestHead {
  method: string;
  url: string;
  /** Node's flat [name, value, name, value, …] list. */
  rawHeaders: string[];
  /** `1.0` or `1.1`; an HTTP/1.0 request must carry Host too (node itself refuses a 1.1 one without). */
  httpVersion?: string;
}

// Check Heroku's request limits; returns what is wrong, or undefined when the head is acceptable.
// A UTF-16 unit is at most 3 UTF-8 bytes, so short strings skip the exact byte count.
export function checkRequestLimits(head: RequestHead): string | undefined {
  const lineChars = head.method.length + head.url.length + 10;
  const requestLine = lineChars * 3 <= MAX_LINE_BYTES ? lineChars : Buffer.byteLength(`${head.method} ${head.url} HTTP/1.1`);
  if (requestLine > MAX_LINE_BYTES) return `request line of ${requestLine} bytes exceeds ${MAX_LINE_BYTES}`;
  const count = head.rawHeaders.length / 2;
  if (count > MAX_HEADERS) return `${count} headers exceed ${MAX_HEADERS}`;
  let host = head.httpVersion !== '1.0';
  for (let i = 0; i + 1 < head.rawHeaders.length; i += 2) {
    const name = head.rawHeaders[i] ?? '';
    const value = head.rawHeaders[i + 1] ?? '';
    if (!host && name.length === 4 && name.toLowerCase() === 'host') host = true;
    if ((name.length + value.length + 2) * 3 <= MAX_HEADER_NAME_BYTES) continue;
    const nameBytes = Buffer.byteLength(name);
    if (nameBytes > MAX_HEADER_NAME_BYTES) return `header name of ${nameBytes} bytes exceeds ${MAX_HEADER_NAME_BYTES}`;
    const lineBytes = nameBytes + 2 + Buffer.byteLength(value);
    if (lineBytes > MAX_LINE_BYTES) return `header line of ${lineBytes} bytes exceeds ${MAX_LINE_BYTES}`;
  }
  return host ? undefined : 'an HTTP/1.0 request without Host';
}

/** Dyno-bound headers as node's flat [name, value, …] list (what http.request writes without re-validating each). */
export interface ForwardedRawRequest {
  headers: string[];
  requestId: string;
  fwd: string;
}

// Lower-cased names the router drops from a request, or replaces with its own value.
const REQUEST_DROPPED: ReadonlySet<string> = new Set([...HOP_BY_HOP, 'expect', 'x-request-id', 'x-request-start', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port', 'via']);
// Lower-cased names dropped from a response (node re-frames), plus Via, which is rebuilt.
const RESPONSE_DROPPED: ReadonlySet<string> = new Set([...HOP_BY_HOP, 'transfer-encoding', 'via']);

// The extra names a Connection header lists in a raw list, lower-cased (undefined for none, the usual case).
function namedByConnection(raw: readonly string[]): string[] | undefined {
  let named: string[] | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 10 || name.toLowerCase() !== 'connection') continue;
    const tokens = connectionTokens(raw[i + 1]!);
    if (tokens) (named ??= []).push(...tokens);
  }
  return named;
}

// Join repeated values the way node's req.headers does (", ").
const joined = (prior: string | undefined, value: string): string => (prior === undefined ? value : `${prior}, ${value}`);

/** `forwardRequestHeaders` on node's raw list: the same headers, in the client's order and spelling. */
export function forwardRawRequestHeaders(raw: readonly string[], ctx: ForwardContext): ForwardedRawRequest {
  const named = namedByConnection(raw);
  const headers: string[] = [];
  let given: string | undefined;
  let prior: string | undefined;
  let via: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const value = raw[i + 1]!;
    const lower = name.toLowerCase();
    if (!REQUEST_DROPPED.has(lower)) {
      if (named === undefined || !named.includes(lower)) headers.push(name, value);
    } else if (lower === 'x-request-id') given = joined(given, value);
    else if (lower === 'x-forwarded-for') prior = joined(prior, value);
    else if (lower === 'via') via = joined(via, value);
  }
  const requestId = isValidRequestId(given) ? given : ctx.newId();
  const fwd = prior ? `${prior}, ${clientIp(ctx.remoteAddress)}` : clientIp(ctx.remoteAddress);
  headers.push(
    'X-Request-Id', requestId,
    'X-Request-Start', String(Math.floor(ctx.nowMs)),
    'X-Forwarded-For', fwd,
    'X-Forwarded-Proto', 'http',
    'X-Forwarded-Port', String(ctx.localPort),
    'Via', via ? `${via}, ${VIA}` : VIA,
  );
  return { headers, requestId, fwd };
}

/** `forwardResponseHeaders` on node's raw list: hop-by-hop and framing gone, Via appended, order and case kept. */
export function forwardRawResponseHeaders(raw: readonly string[]): string[] {
  const named = namedByConnection(raw);
  const headers: string[] = [];
  let via: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (!RESPONSE_DROPPED.has(lower)) {
      if (named === undefined || !named.includes(lower)) headers.push(name, raw[i + 1]!);
    } else if (lower === 'via') via = joined(via, raw[i + 1]!);
  }
  headers.push('Via', via ? `${via}, ${VIA}` : VIA);
  return headers;
}
