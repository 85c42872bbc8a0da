// The dashboard's security checks, one pure function run before every route. The server listens on
// 127.0.0.1 only; on top of that every request must name the server by its own Host (DNS rebinding),
// carry the run's token (in the URL once, then in a SameSite=Strict HttpOnly cookie), and the event
// stream and every POST must come from the page itself (Origin, Sec-Fetch-Site). No CORS headers
// are ever sent, so no other origin can read a reply.
import { timingSafeEqual } from 'node:crypto';

/** The parts of a request the guard looks at (headers lower-cased, as node:http gives them). */
export interface GuardRequest {
  method: string;
  /** The URL path without the query. */
  path: string;
  /** `?token=` of the URL, null when absent. */
  queryToken: string | null;
  host?: string;
  origin?: string;
  secFetchSite?: string;
  cookie?: string;
  contentType?: string;
}

export interface GuardConfig {
  /** The port the dashboard listens on (Host and Origin must name it). */
  port: number;
  /** Tokens accepted, the current run's first (then the previous run's, so open pages reconnect). */
  tokens: readonly string[];
}

/** Go ahead (setting the cookie to the current token when asked), or refuse with a status. */
export type GuardVerdict =
  | { ok: true; setCookie: boolean; redirectTo?: string }
  | { ok: false; status: number; reason: string };

/** The cookie that carries the token; one per port, since cookies ignore ports. */
export function cookieName(port: number): string {
  return `dyno_dashboard_${port}`;
}

/** The Set-Cookie value for the current token. */
export function formatCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

// A cookie's value from a Cookie header.
function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

// Which accepted token `given` is (0 = current), or -1; compared in constant time.
function tokenIndex(given: string | null, tokens: readonly string[]): number {
  if (!given) return -1;
  const a = Buffer.from(given);
  return tokens.findIndex((t) => {
    const b = Buffer.from(t);
    return a.length === b.length && timingSafeEqual(a, b);
  });
}

const refuse = (status: number, reason: string): GuardVerdict => ({ ok: false, status, reason });

/** Check one request; the first failed rule decides. */
export function checkRequest(req: GuardRequest, cfg: GuardConfig): GuardVerdict {
  const selves = [`127.0.0.1:${cfg.port}`, `localhost:${cfg.port}`];
  if (!selves.includes((req.host ?? '').toLowerCase())) return refuse(403, `Host must be 127.0.0.1:${cfg.port} or localhost:${cfg.port}`);
  if (req.method !== 'GET' && req.method !== 'POST') return refuse(405, 'only GET and POST are allowed');
  const fromPage = req.method === 'POST' || req.path === '/events';
  if (req.origin !== undefined && !selves.map((s) => `http://${s}`).includes(req.origin.toLowerCase())) return refuse(403, 'cross-origin requests are refused');
  if (fromPage && req.method === 'POST' && req.origin === undefined) return refuse(403, 'a POST must carry the Origin of the dashboard');
  if (fromPage && req.secFetchSite !== undefined && req.secFetchSite !== 'same-origin') return refuse(403, 'cross-site requests are refused');
  const byCookie = tokenIndex(cookieValue(req.cookie, cookieName(cfg.port)), cfg.tokens);
  const byQuery = req.method === 'GET' && req.path === '/' ? tokenIndex(req.queryToken, cfg.tokens) : -1;
  if (byCookie < 0 && byQuery < 0) return refuse(401, 'a valid token is required: open the URL that `dyno start` printed, or run `dyno dashboard`');
  if (req.method === 'POST' && !/^application\/json\s*(;|$)/i.test(req.contentType ?? '')) return refuse(415, 'actions take a JSON body (Content-Type: application/json)');
  // A token in the URL moves into the cookie and out of the address bar (history, screenshots, Referer).
  if (byQuery >= 0) return { ok: true, setCookie: true, redirectTo: '/' };
  return { ok: true, setCookie: byCookie > 0 };
}
