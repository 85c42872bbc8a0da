// The dashboard's HTTP server (node:http, 127.0.0.1 only): the page and its assets, one event
// stream, and the POST actions (run-action.ts). request-guard.ts decides every request before any route runs.
import http from 'node:http';
import { DynoError, type ErrorCode } from '../core/errors.js';
import { toWireError, type ControlTarget } from '../control/server.js';
import { EventStream, type EventStreamOptions } from './event-stream.js';
import { PAGE_HTML, PAGE_STYLE } from './page.js';
import { PAGE_SCRIPT } from './page-script.js';
import { CLIENT_LOAD } from './client-load.js';
import { checkRequest, formatCookie, type GuardRequest } from './request-guard.js';
import { ACTION_PATHS, runAction, type ActionPath } from './run-action.js';

export interface DashboardServerOptions extends Omit<EventStreamOptions, 'target'> {
  target: ControlTarget;
  /** 0 picks a free port. */
  port: number;
  /** Accepted tokens, this run's first (see dashboard-token.ts). */
  tokens: string[];
}

/** Largest action body read. */
const MAX_BODY_BYTES = 16 * 1024;

/** Sent with every answer: nothing cached, framed, sniffed or loaded from elsewhere. */
const BASE_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

const ASSETS: Readonly<Record<string, [string, string]>> = {
  '/': ['text/html; charset=utf-8', PAGE_HTML],
  '/app.js': ['text/javascript; charset=utf-8', PAGE_SCRIPT],
  '/app.css': ['text/css; charset=utf-8', PAGE_STYLE],
  '/load.js': ['text/javascript; charset=utf-8', CLIENT_LOAD],
};

export class DashboardServer {
  private readonly events: EventStream;

  private constructor(private readonly server: http.Server, private readonly o: DashboardServerOptions, readonly port: number) {
    this.events = new EventStream(o);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => this.handle(req, res));
  }

  /** Listen on 127.0.0.1; PORT_IN_USE when the port is taken. */
  static async listen(o: DashboardServerOptions): Promise<DashboardServer> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EADDRINUSE') return reject(err);
        reject(new DynoError('PORT_IN_USE', `the dashboard port ${o.port} is already in use`, { hint: 'pick another with --dashboard-port <port> (0: any free port)' }));
      });
      server.listen({ port: o.port, host: '127.0.0.1', exclusive: true }, () => resolve());
    });
    server.unref(); // the dynos keep dyno start alive, not an open page
    return new DashboardServer(server, o, (server.address() as { port: number }).port);
  }

  /** The URL to open: loopback, this port, this run's token. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/?token=${this.o.tokens[0]}`;
  }

  /** End the event streams and every connection. */
  async close(): Promise<void> {
    this.events.close();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const verdict = checkRequest(guardRequestOf(req, url), { port: this.port, tokens: this.o.tokens });
    for (const [name, value] of Object.entries(BASE_HEADERS)) res.setHeader(name, value);
    if (!verdict.ok) return void res.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' }).end(`${verdict.reason}\n`);
    if (verdict.setCookie) res.setHeader('set-cookie', formatCookie(this.port, this.o.tokens[0]!));
    if (verdict.redirectTo) return void res.writeHead(303, { location: verdict.redirectTo }).end();
    const asset = ASSETS[url.pathname];
    if (req.method === 'GET' && asset) return void res.writeHead(200, { 'content-type': asset[0] }).end(asset[1]);
    if (req.method === 'GET' && url.pathname === '/events') return this.events.add(res);
    if (req.method === 'GET' && url.pathname === '/load') return reply(res, 200, { ...(this.o.target.loads?.get() ?? { report: null, at: null }), run: this.o.runner?.current() ?? null, types: this.o.runner ? this.o.info.types.map((t) => t.name) : [] });
    if (req.method === 'POST' && (ACTION_PATHS as readonly string[]).includes(url.pathname)) return void this.act(url.pathname as ActionPath, req, res);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
  }

  // Read the JSON body, run the action, answer `{ok: true, …}` or `{ok: false, error}` (as the control socket does).
  private async act(path: ActionPath, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const body = await readJson(req);
      reply(res, 200, { ok: true, ...(await runAction(path, body, { control: this.o.target.control, runner: this.o.runner })) });
    } catch (err) {
      const error = toWireError(err);
      reply(res, err instanceof DynoError ? statusOf(err.code) : 500, { ok: false, error });
    }
  }
}

/** Input the caller got wrong → 400; a state that refuses the action (a run under way, none to stop) → 409. */
const BAD_INPUT: ReadonlySet<ErrorCode> = new Set(['USAGE', 'UNKNOWN_TYPE', 'BAD_FORMATION']);

function statusOf(code: ErrorCode): number {
  return BAD_INPUT.has(code) ? 400 : 409;
}

function reply(res: http.ServerResponse, status: number, body: object): void {
  if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(`${JSON.stringify(body)}\n`);
}

// The headers the guard needs (node lower-cases them; a repeated header arrives as a string[] only for set-cookie).
function guardRequestOf(req: http.IncomingMessage, url: URL): GuardRequest {
  const h = req.headers;
  const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(', ') : v);
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    queryToken: url.searchParams.get('token'),
    host: h.host,
    origin: h.origin,
    secFetchSite: one(h['sec-fetch-site']),
    cookie: h.cookie,
    contentType: h['content-type'],
  };
}

// The request body as JSON, at most MAX_BODY_BYTES; USAGE otherwise.
function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return void reject(new DynoError('USAGE', `the body is larger than ${MAX_BODY_BYTES} bytes`));
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new DynoError('USAGE', 'the body is not JSON'));
      }
    });
  });
}
