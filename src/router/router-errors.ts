// Heroku's router error codes that can happen locally (HEROKU.md §3.2): status, desc and the error page.
import type { ServerResponse } from 'node:http';

/** A router code dyno can emit. */
export type RouterCode = 'H10' | 'H12' | 'H13' | 'H14' | 'H15' | 'H17' | 'H18' | 'H20' | 'H21' | 'H25' | 'H26' | 'H27' | 'H28';

/** H25's variants: the response limit a dyno broke (`desc="HTTP restriction: …"`, HEROKU.md §3.2, §3.5). */
export type Restriction = 'oversized header' | 'oversized cookie' | 'oversized status line' | 'invalid content length';

/** What Heroku prints and answers for one code. */
export interface RouterErrorInfo {
  /** The exact `desc=` text. */
  desc: string;
  /** HTTP status in the log line (and sent to the client when it still can be). */
  status: number;
  /** `at=` level. */
  at: 'error' | 'warning';
  /** `sock=` prefix some codes carry (H18 backend, H27/H28 client). */
  sock?: 'client' | 'backend';
}

/** The table of HEROKU.md §3.2, restricted to what happens locally. */
export const ROUTER_ERRORS: Readonly<Record<RouterCode, RouterErrorInfo>> = {
  H10: { desc: 'App crashed', status: 503, at: 'error' },
  H12: { desc: 'Request timeout', status: 503, at: 'error' },
  H13: { desc: 'Connection closed without response', status: 503, at: 'error' },
  H14: { desc: 'No web processes running', status: 503, at: 'error' },
  H15: { desc: 'Idle connection', status: 503, at: 'error' },
  H17: { desc: 'Poorly formatted HTTP response', status: 503, at: 'error' },
  H18: { desc: 'Server Request Interrupted', status: 503, at: 'error', sock: 'backend' },
  H20: { desc: 'App boot timeout', status: 503, at: 'error' },
  H21: { desc: 'Backend connection refused', status: 503, at: 'error' },
  H25: { desc: 'HTTP restriction: oversized header', status: 502, at: 'error' },
  H26: { desc: 'Request Error', status: 400, at: 'error' },
  H27: { desc: 'Client Request Interrupted', status: 499, at: 'warning', sock: 'client' },
  H28: { desc: 'Client Connection Idle', status: 499, at: 'warning', sock: 'client' },
};

/** The `desc=` text of a code, with H25's restriction when given. */
export function describeCode(code: RouterCode, restriction?: Restriction): string {
  return restriction === undefined ? ROUTER_ERRORS[code].desc : `HTTP restriction: ${restriction}`;
}

// Heroku's application-error page (error-pages), self-contained: the real one iframes herokucdn.com.
export function renderErrorPage(code: RouterCode, restriction?: Restriction): string {
  const desc = describeCode(code, restriction);
  return [
    '<!DOCTYPE html>',
    '<html>',
    '  <head>',
    '    <meta name="viewport" content="width=device-width, initial-scale=1">',
    '    <meta charset="utf-8">',
    '    <title>Application Error</title>',
    '  </head>',
    '  <body>',
    '    <h1>Application error</h1>',
    '    <p>An error occurred in the application and your page could not be served.',
    '    If you are the application owner, check your logs for details.</p>',
    `    <p><code>${code} ${desc}</code> (served by dyno's local router)</p>`,
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}

// Answer with the error page, if the client can still get one.
export function sendErrorPage(res: ServerResponse, code: RouterCode, restriction?: Restriction): void {
  if (res.headersSent || res.destroyed) return;
  const page = renderErrorPage(code, restriction);
  res.writeHead(ROUTER_ERRORS[code].status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache, no-store',
    'content-length': Buffer.byteLength(page),
  });
  res.end(page);
}
