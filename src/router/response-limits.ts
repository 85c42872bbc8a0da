// Heroku's rules for a dyno's response head (HEROKU.md §3.2, §3.5): what is a 502 + H25, what a 503 + H17.
import type { Restriction } from './router-errors.js';

/** A response header line (name, `: `, value) may be this long (vegur's max_client_header_length). */
export const MAX_RESPONSE_LINE_BYTES = 512 * 1024;
/** A Set-Cookie value may be this long. */
export const MAX_COOKIE_BYTES = 8192;
/** The status line (`HTTP/1.1 200 OK`, without CRLF) may be this long. */
export const MAX_STATUS_LINE_BYTES = 8192;
/**
 * Node's cap on a whole response head (its default, 16 KiB, would turn a 20 KB header into a parse error).
 * Heroku limits lines, not the head; this only bounds the router's memory, and past it the head is "oversized".
 */
export const MAX_RESPONSE_HEAD_BYTES = 8 * 1024 * 1024;

/** What is wrong with a response: H17 (unparseable) or H25 (a limit). */
export type ResponseProblem = { code: 'H17' } | { code: 'H25'; restriction: Restriction };

const H17: ResponseProblem = { code: 'H17' };
const oversized = (restriction: Restriction): ResponseProblem => ({ code: 'H25', restriction });

// Node's parser keeps header bytes as latin1 strings, so `length` is the byte count on the wire.
const STATUS_LINE_PREFIX = 'HTTP/1.1 200 '.length;

/**
 * Check a parsed response head. A missing reason phrase is H17, as Heroku documents (`HTTP/1.1 200` alone);
 * node cannot tell it from an empty one (`HTTP/1.1 200 `), so both are refused.
 */
export function checkResponseHead(statusMessage: string, rawHeaders: readonly string[]): ResponseProblem | undefined {
  if (statusMessage.length === 0) return H17;
  if (STATUS_LINE_PREFIX + statusMessage.length > MAX_STATUS_LINE_BYTES) return oversized('oversized status line');
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    if (value.length <= MAX_COOKIE_BYTES && name.length <= MAX_COOKIE_BYTES) continue; // the common case: nothing below can apply
    if (name.length + 2 + value.length > MAX_RESPONSE_LINE_BYTES) return oversized('oversized header');
    if (name.length === 10 && name.toLowerCase() === 'set-cookie') return oversized('oversized cookie');
  }
  return undefined;
}

/** The problem behind one of node's response parse errors (`HPE_…`); undefined for anything else. */
export function parseErrorProblem(err: Error & { code?: string }): ResponseProblem | undefined {
  const code = err.code;
  if (code === undefined || !code.startsWith('HPE_')) return undefined;
  if (code === 'HPE_HEADER_OVERFLOW') return oversized('oversized header');
  if (code === 'HPE_INVALID_CONTENT_LENGTH' || code === 'HPE_UNEXPECTED_CONTENT_LENGTH') return oversized('invalid content length');
  return H17;
}
