// One proxied HTTP request: connect (retrying refused dynos), send, await the first byte, relay, log.
// The upstream request is a plain http.request through the router's keep-alive pool (dyno-pool.ts) (no http-proxy:
// its per-request pass chain and the lookups it forces cost more than everything below; NODE-NOTES §5).
import http, { type Agent, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Clock } from '../core/clock.js';
import type { Backend, LogSink } from '../core/types.js';
import type { DynoPool } from './dyno-pool.js';
import { pickBackend } from './balancer.js';
import type { ForwardedRawRequest } from './headers.js';
import type { LiveLink } from './live-list.js';
import { Deadline, type DeadlineList } from './deadline-list.js';
import { relayResponse, type RelayListener } from './response-relay.js';
import { checkResponseHead, MAX_RESPONSE_HEAD_BYTES, parseErrorProblem, type ResponseProblem } from './response-limits.js';
import { sendErrorPage, type RouterCode } from './router-errors.js';
import { formatInfoLine, publishRouterLine, publishRouterText, routerLineFields, type RouterOutcome } from './router-line.js';

/** What every exchange shares with the router. */
export interface ExchangeDeps {
  /** The keep-alive pool to the dynos. */
  pool: DynoPool;
  clock: Clock;
  bus: LogSink;
  /** First-byte cutoff after the request was sent (H12): the router's one list of such deadlines. */
  firstByte: DeadlineList;
  /** Rolling inactivity window (H15/H28), likewise shared. */
  idle: DeadlineList;
  /** The web dynos as they are now. */
  backends: () => readonly Backend[];
  /** Called once the exchange has nothing left to do (client answered and dyno settled). */
  done: (x: Exchange) => void;
}

type Phase = 'routing' | 'connecting' | 'sending' | 'waiting' | 'responding' | 'timed-out' | 'done';

// Heroku tries at most 10 dynos per request (HEROKU.md §3.1).
const MAX_ATTEMPTS = 10;

export class Exchange implements RelayListener, LiveLink<Exchange> {
  /** The router's LiveList links. */
  prevLive: Exchange | undefined = undefined;
  nextLive: Exchange | undefined = undefined;
  private phase: Phase = 'routing';
  private readonly startedAt: number;
  private connectedAt: number | undefined;
  private sentAt = 0;
  private backend: Backend | undefined;
  private tried: Set<string> | undefined;
  private attempt = 0;
  private proxyReq: ClientRequest | undefined;
  private proxyRes: IncomingMessage | undefined;
  /** The dyno connection of the current attempt and how much it had read before it (keep-alive reuse). */
  private upstream: Socket | undefined;
  private readBefore = 0;
  /** H12 while waiting for the first byte, otherwise the idle window; on at most one list. */
  private deadline: Deadline | undefined;
  private bytes = 0;
  private logged = false;
  private readonly hasBody: boolean;

  constructor(
    private readonly deps: ExchangeDeps,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly fwd: ForwardedRawRequest,
  ) {
    this.startedAt = deps.clock.now();
    const length = req.headers['content-length'];
    this.hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    res.on('close', () => this.onClientClose());
  }

  /** Send to a random up dyno not tried yet; H21 once every candidate refused. */
  forward(): void {
    const backend = pickBackend(this.deps.backends(), this.tried);
    if (!backend || this.attempt >= MAX_ATTEMPTS) return this.fail('H21', { dyno: this.backend?.name, connectMs: this.deps.clock.now() - this.startedAt });
    this.backend = backend;
    this.phase = 'connecting';
    this.attempt++;
    let proxyReq: ClientRequest;
    try {
      proxyReq = http.request({ host: '127.0.0.1', port: backend.port, method: this.req.method, path: this.req.url, headers: this.fwd.headers, agent: this.deps.pool as unknown as Agent /* Agent-like: node only calls addRequest */, maxHeaderSize: MAX_RESPONSE_HEAD_BYTES });
    } catch {
      return this.fail('H26', { cause: 'bad request', status: 400 }); // a head node's client refuses to send
    }
    this.proxyReq = proxyReq;
    proxyReq.on('error', (err: Error & { code?: string }) => this.onProxyError(err, proxyReq));
    proxyReq.on('socket', (socket: Socket) => {
      this.upstream = socket;
      this.readBefore = socket.bytesRead;
      if (socket.connecting) socket.once('connect', () => this.onConnected(proxyReq));
      else this.onConnected(proxyReq);
    });
    proxyReq.on('finish', () => this.onSent(proxyReq));
    proxyReq.on('response', (proxyRes: IncomingMessage) => this.onProxyRes(proxyRes, proxyReq));
    // A body is only read once the dyno accepted the connection, so a refusal can be retried with it.
    if (!this.hasBody) proxyReq.end();
  }

  // The dyno accepted the connection: stream the body into it (idle window while the client uploads).
  private onConnected(proxyReq: ClientRequest): void {
    if (this.phase !== 'connecting' || this.proxyReq !== proxyReq) return;
    this.connectedAt = this.deps.clock.now();
    this.phase = 'sending';
    if (!this.hasBody) return;
    const idle = this.deps.idle;
    const deadline = this.ownDeadline();
    idle.add(deadline);
    this.req.on('data', () => {
      if (this.phase === 'sending') idle.add(deadline);
    });
    this.req.pipe(proxyReq);
  }

  /** Fail right away (no dyno involved, or routing gave up). */
  fail(code: RouterCode, extra: Omit<RouterOutcome, 'code'> = {}): void {
    sendErrorPage(this.res, code, extra.restriction);
    this.log({ ...extra, code });
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
    this.deps.firstByte.add(this.ownDeadline()); // leaves the idle list, if on it
  }

  // The exchange's one deadline entry, made on first use: H12 while waiting, the idle window otherwise.
  private ownDeadline(): Deadline {
    this.deadline ??= new Deadline(() => (this.phase === 'waiting' ? this.onTimeout() : this.onIdle()));
    return this.deadline;
  }

  // H12: the client gets the error page; the dyno is not told and its late answer is drained.
  private onTimeout(): void {
    this.phase = 'timed-out';
    sendErrorPage(this.res, 'H12');
    this.log({ code: 'H12', bytes: 0 });
  }

  // The dyno's response head arrived.
  private onProxyRes(proxyRes: IncomingMessage, proxyReq: ClientRequest): void {
    if (this.proxyReq !== proxyReq) return void proxyRes.destroy();
    this.deadline?.list?.remove(this.deadline);
    this.proxyRes = proxyRes;
    proxyRes.on('error', () => undefined);
    if (this.phase === 'timed-out') return this.drainLateAnswer(proxyRes);
    if (this.phase === 'done') return void proxyRes.destroy();
    const problem = checkResponseHead(proxyRes.statusMessage ?? '', proxyRes.rawHeaders);
    if (problem) {
      proxyRes.destroy(); // the rest of this response cannot be trusted, nor the connection it came on
      return this.refuseResponse(problem);
    }
    this.phase = 'responding';
    this.deps.idle.add(this.ownDeadline());
    relayResponse({ proxyRes, res: this.res, listener: this });
  }

  /** Relay progress: a body chunk went to the client. */
  onBytes(n: number): void {
    this.bytes += n;
    if (this.deadline?.list) this.deps.idle.add(this.deadline);
  }

  /** The relay ended: a complete response logs at=info, a truncated one H18. */
  onEnd(complete: boolean): void {
    if (this.phase !== 'responding') return;
    if (!complete) {
      this.res.destroy();
      this.log({ code: 'H18', bytes: this.bytes });
    } else this.logInfo(this.proxyRes?.statusCode ?? 502);
    this.settle();
  }

  // Throw away a response that came after H12, and say how long the dyno really took.
  private drainLateAnswer(proxyRes: IncomingMessage): void {
    const after = Math.round(this.deps.clock.now() - this.sentAt);
    this.note(`answered with status=${proxyRes.statusCode} after ${after}ms; the client already got H12 (503) at ${this.deps.firstByte.windowMs}ms, response discarded`);
    proxyRes.on('close', () => this.settle());
    proxyRes.resume();
  }

  // Upstream errors: refused → next dyno; otherwise H13 before any response byte.
  private onProxyError(err: Error & { code?: string }, proxyReq: ClientRequest): void {
    if (proxyReq !== this.proxyReq || this.phase === 'done' || this.res.destroyed) return;
    if (this.phase === 'timed-out') {
      this.note(`closed the connection without answering, ${Math.round(this.deps.clock.now() - this.sentAt)}ms after the request (after H12)`);
      return this.settle();
    }
    if (this.phase === 'connecting' && err.code === 'ECONNREFUSED' && this.backend) {
      (this.tried ??= new Set()).add(this.backend.name);
      return this.forward();
    }
    if (this.phase === 'responding') return;
    this.proxyReq?.destroy();
    const problem = parseErrorProblem(err) ?? (this.dynoWrote() ? { code: 'H17' as const } : undefined);
    if (problem) return this.refuseResponse(problem);
    this.fail('H13', { bytes: 0 });
  }

  // Whether the dyno sent any byte on this attempt's connection (a cut-off head is H17, silence H13).
  private dynoWrote(): boolean {
    return this.upstream !== undefined && this.upstream.bytesRead > this.readBefore;
  }

  // A response the router will not relay: 502 + H25 for a broken limit, 503 + H17 for one it cannot parse.
  private refuseResponse(problem: ResponseProblem): void {
    this.fail(problem.code, { bytes: 0, restriction: problem.code === 'H25' ? problem.restriction : undefined });
  }

  // The client connection closed: fine if answered, otherwise H27 and the dyno's request is cancelled.
  private onClientClose(): void {
    if (this.res.writableFinished || this.phase === 'done') return this.settleIfQuiet();
    this.proxyReq?.destroy();
    this.proxyRes?.destroy();
    this.log({ code: 'H27', bytes: this.bytes });
    this.settle();
  }

  // 55 s of silence: H28 while the client owes bytes (upload, or not reading), H15 when the dyno does.
  private onIdle(): void {
    const clientIdle = this.phase === 'sending' || this.res.writableNeedDrain;
    this.proxyReq?.destroy();
    this.res.destroy();
    this.log({ code: clientIdle ? 'H28' : 'H15', bytes: this.bytes });
    this.settle();
  }

  // Publish the router line once.
  private log(f: RouterOutcome): void {
    if (this.logged) return;
    this.logged = true;
    const now = this.deps.clock.now();
    const timing = {
      dyno: this.backend?.name,
      connectMs: this.connectedAt === undefined ? undefined : this.connectedAt - this.startedAt,
      serviceMs: this.connectedAt === undefined ? undefined : now - this.connectedAt,
    };
    publishRouterLine(this.deps.bus, now, routerLineFields(this.req, this.fwd, { ...timing, ...f }));
  }

  // The common line, a relayed response: built straight from the exchange's fields (no outcome or fields objects).
  private logInfo(status: number): void {
    if (this.logged) return;
    this.logged = true;
    const now = this.deps.clock.now();
    const connected = this.connectedAt;
    const req = this.req;
    const text = formatInfoLine(
      req.method ?? '', req.url ?? '', req.headers.host ?? '', this.fwd.requestId, this.fwd.fwd, this.backend?.name,
      connected === undefined ? undefined : connected - this.startedAt, connected === undefined ? undefined : now - connected, status, this.bytes,
    );
    publishRouterText(this.deps.bus, now, text);
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
    if (this.phase === 'done') return;
    this.phase = 'done';
    this.deadline?.list?.remove(this.deadline);
    this.deps.done(this);
  }
}
