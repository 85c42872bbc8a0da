// One proxied HTTP request: connect (retrying refused dynos), send, await the first byte, relay, log.
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import type HttpProxy from 'http-proxy';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { Backend, LogSink } from '../core/types.js';
import { pickBackend } from './balancer.js';
import type { ForwardedRequest } from './headers.js';
import { IdleWindow } from './idle-window.js';
import { relayResponse } from './response-relay.js';
import { ROUTER_ERRORS, sendErrorPage, type RouterCode } from './router-errors.js';
import { formatRouterLine, type RouterLineFields } from './router-line.js';

/** What every exchange shares with the router. */
export interface ExchangeDeps {
  proxy: HttpProxy;
  clock: Clock;
  bus: LogSink;
  /** First-byte cutoff after the request was sent (H12). */
  timeoutMs: number;
  /** Rolling inactivity window (H15/H28). */
  idleTimeoutMs: number;
  /** The web dynos as they are now. */
  backends: () => readonly Backend[];
  /** Called once the exchange has nothing left to do (client answered and dyno settled). */
  done: (x: Exchange) => void;
}

type Phase = 'routing' | 'connecting' | 'sending' | 'waiting' | 'responding' | 'timed-out' | 'done';

// Heroku tries at most 10 dynos per request (HEROKU.md §3.1).
const MAX_ATTEMPTS = 10;

export class Exchange {
  private phase: Phase = 'routing';
  private readonly startedAt: number;
  private connectedAt: number | undefined;
  private sentAt = 0;
  private backend: Backend | undefined;
  private readonly tried = new Set<string>();
  private attempt = 0;
  private proxyReq: ClientRequest | undefined;
  private proxyRes: IncomingMessage | undefined;
  private h12: TimerHandle | undefined;
  private readonly idle: IdleWindow;
  private bytes = 0;
  private logged = false;
  private settled = false;
  private body: PassThrough | undefined;
  private readonly hasBody: boolean;

  constructor(
    private readonly deps: ExchangeDeps,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    private readonly fwd: ForwardedRequest,
  ) {
    this.startedAt = deps.clock.now();
    const length = req.headers['content-length'];
    this.hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    this.idle = new IdleWindow({ clock: deps.clock, windowMs: deps.idleTimeoutMs, onIdle: () => this.onIdle() });
    Object.assign(req.headers, fwd.headers);
    for (const name of Object.keys(req.headers)) if (!(name in fwd.headers)) delete req.headers[name];
    res.on('close', () => this.onClientClose());
  }

  /** Send to a random up dyno not tried yet; H21 once every candidate refused. */
  forward(): void {
    const backend = pickBackend(this.deps.backends(), this.tried);
    if (!backend || this.attempt >= MAX_ATTEMPTS) return this.fail('H21', { dyno: this.backend?.name, connectMs: this.deps.clock.now() - this.startedAt });
    this.backend = backend;
    this.phase = 'connecting';
    const attempt = ++this.attempt;
    // A body waits in a fresh PassThrough until the dyno accepted the connection, so a refusal can be retried.
    const body = this.hasBody ? new PassThrough() : undefined;
    this.body = body;
    const target = { host: '127.0.0.1', port: backend.port };
    this.deps.proxy.web(this.req, this.res, { target, buffer: body }, (err) => this.onProxyError(err, attempt));
  }

  /** http-proxy created the upstream request: wait for the connection, then stream the body into it. */
  onProxyReq(proxyReq: ClientRequest): void {
    this.proxyReq = proxyReq;
    const body = this.body;
    const connected = (): void => {
      if (this.phase !== 'connecting' || this.proxyReq !== proxyReq) return;
      this.connectedAt = this.deps.clock.now();
      this.phase = 'sending';
      if (!body) return;
      this.idle.start();
      this.req.on('data', () => this.idle.touch());
      this.req.pipe(body);
    };
    proxyReq.on('finish', () => this.onSent(proxyReq));
    if (proxyReq.socket && !proxyReq.socket.connecting) connected();
    else proxyReq.socket?.once('connect', connected);
  }

  /** Fail right away (no dyno involved, or routing gave up). */
  fail(code: RouterCode, extra: Partial<RouterLineFields> = {}): void {
    sendErrorPage(this.res, code);
    this.log({ code, status: ROUTER_ERRORS[code].status, ...extra });
    this.settle();
  }

  /** Tear down at once (router closing); logs nothing. */
  abort(): void {
    this.logged = true;
    this.proxyReq?.destroy();
    this.res.destroy();
    this.settle();
  }

  // The whole request reached the dyno: the 30 s first-byte clock starts (HEROKU.md §3.1).
  private onSent(proxyReq: ClientRequest): void {
    if (this.proxyReq !== proxyReq || this.phase !== 'sending') return;
    this.sentAt = this.deps.clock.now();
    this.phase = 'waiting';
    this.idle.stop();
    this.h12 = this.deps.clock.setTimeout(() => this.onTimeout(), this.deps.timeoutMs);
  }

  // H12: the client gets the error page; the dyno is not told and its late answer is drained.
  private onTimeout(): void {
    this.phase = 'timed-out';
    sendErrorPage(this.res, 'H12');
    this.log({ code: 'H12', status: 503, bytes: 0 });
  }

  /** The dyno's response head arrived. */
  onProxyRes(proxyRes: IncomingMessage): void {
    this.deps.clock.clearTimeout(this.h12);
    this.proxyRes = proxyRes;
    proxyRes.on('error', () => undefined);
    if (this.phase === 'timed-out') return this.drainLateAnswer(proxyRes);
    if (this.phase === 'done') return void proxyRes.destroy();
    this.phase = 'responding';
    this.idle.start();
    relayResponse({
      proxyRes,
      res: this.res,
      onBytes: (n) => {
        this.bytes += n;
        this.idle.touch();
      },
      onEnd: (complete) => this.onRelayEnd(complete, proxyRes.statusCode ?? 502),
    });
  }

  // The relay ended: a complete response logs at=info, a truncated one H18.
  private onRelayEnd(complete: boolean, status: number): void {
    if (this.phase !== 'responding') return;
    if (!complete) {
      this.res.destroy();
      this.log({ code: 'H18', status: 503, bytes: this.bytes });
    } else this.log({ status, bytes: this.bytes });
    this.settle();
  }

  // Throw away a response that came after H12, and say how long the dyno really took.
  private drainLateAnswer(proxyRes: IncomingMessage): void {
    const after = Math.round(this.deps.clock.now() - this.sentAt);
    this.note(`answered with status=${proxyRes.statusCode} after ${after}ms; the client already got H12 (503) at ${this.deps.timeoutMs}ms, response discarded`);
    proxyRes.on('close', () => this.settle());
    proxyRes.resume();
  }

  // Upstream errors: refused → next dyno; otherwise H13 before any response byte.
  private onProxyError(err: Error & { code?: string }, attempt: number): void {
    if (attempt !== this.attempt || this.phase === 'done' || this.res.destroyed) return;
    if (this.phase === 'timed-out') {
      this.note(`closed the connection without answering, ${Math.round(this.deps.clock.now() - this.sentAt)}ms after the request (after H12)`);
      return this.settle();
    }
    if (this.phase === 'connecting' && err.code === 'ECONNREFUSED' && this.backend) {
      this.tried.add(this.backend.name);
      return this.forward();
    }
    if (this.phase === 'responding') return;
    this.proxyReq?.destroy();
    this.fail('H13', { bytes: 0 });
  }

  // The client connection closed: fine if answered, otherwise H27 and the dyno's request is cancelled.
  private onClientClose(): void {
    if (this.res.writableFinished || this.phase === 'done') return this.settleIfQuiet();
    this.proxyReq?.destroy();
    this.proxyRes?.destroy();
    this.log({ code: 'H27', status: 499, bytes: this.bytes });
    this.settle();
  }

  // 55 s of silence: H28 while the client owes bytes (upload, or not reading), H15 when the dyno does.
  private onIdle(): void {
    const clientIdle = this.phase === 'sending' || this.res.writableNeedDrain;
    this.proxyReq?.destroy();
    this.res.destroy();
    this.log({ code: clientIdle ? 'H28' : 'H15', status: clientIdle ? 499 : 503, bytes: this.bytes });
    this.settle();
  }

  // Publish the router line once.
  private log(f: Partial<RouterLineFields> & { status: number }): void {
    if (this.logged) return;
    this.logged = true;
    const now = this.deps.clock.now();
    const fields: RouterLineFields = {
      method: this.req.method ?? '',
      path: this.req.url ?? '',
      host: this.req.headers.host ?? '',
      requestId: this.fwd.requestId,
      fwd: this.fwd.fwd,
      dyno: this.backend?.name,
      connectMs: this.connectedAt === undefined ? undefined : this.connectedAt - this.startedAt,
      serviceMs: this.connectedAt === undefined ? undefined : now - this.connectedAt,
      ...f,
    };
    this.deps.bus.publish({ ts: now, source: 'heroku', dyno: 'router', stream: 'stdout', text: formatRouterLine(fields) });
  }

  // One of dyno's own lines about this request (not something Heroku prints).
  private note(text: string): void {
    const subject = `${this.backend?.name ?? 'web'} ${this.req.method} "${this.req.url}" request_id=${this.fwd.requestId}`;
    this.deps.bus.publish({ ts: this.deps.clock.now(), source: 'dyno', dyno: 'router', stream: 'stdout', text: `late answer: ${subject} ${text}` });
  }

  // After H12 the exchange lives on until the dyno answers or closes.
  private settleIfQuiet(): void {
    if (this.phase !== 'timed-out') this.settle();
  }

  // Stop every timer and tell the router this exchange is over (once).
  private settle(): void {
    this.phase = 'done';
    if (this.settled) return;
    this.settled = true;
    this.idle.stop();
    this.deps.clock.clearTimeout(this.h12);
    this.deps.done(this);
  }
}
