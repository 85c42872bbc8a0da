// Heroku's router in front of the web dynos: http server + keep-alive pool to the dynos, H-codes, router log lines.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock, type TimerHandle } from '../core/clock.js';
import { DynoError } from '../core/errors.js';
import type { Backend, LogSink } from '../core/types.js';
import { pickBackend, routeFor, type Routing } from './balancer.js';
import { mergeDuplicateLength, reparse } from './duplicate-length.js';
import { DeadlineList } from './deadline-list.js';
import { DynoPool } from './dyno-pool.js';
import { Exchange, type ExchangeDeps } from './exchange.js';
import { LiveList } from './live-list.js';
import { checkRequestLimits, forwardRawRequestHeaders, MAX_HEADERS, MAX_LINE_BYTES, type ForwardedRawRequest } from './headers.js';
import type { RouterCode } from './router-errors.js';
import { publishRouterLine, routerLineFields, type RouterOutcome } from './router-line.js';
import { failUpgrade, startTunnel, writeRawResponse } from './ws-tunnel.js';

export interface RouterOptions {
  /** Interface to bind (`--router-host`); default 127.0.0.1. */
  host?: string;
  /** The app's base port (default 5006). */
  port: number;
  /** Where router lines (source `heroku`) and dyno's own notes (source `dyno`) go; dyno is `router`. */
  bus: LogSink;
  clock?: Clock;
  /** First-byte cutoff after the request was sent (H12); default 30000 (`--router-timeout`). */
  timeoutMs?: number;
  /** Rolling inactivity window after the first byte (H15/H28); default 55000. */
  idleTimeoutMs?: number;
  /** How long a request waits for a web dyno to come up (H20); default 75000. */
  bootWaitMs?: number;
}

/** Something waiting for a web dyno to come up. */
interface Waiter {
  proceed(): void;
  fail(code: RouterCode): void;
}

// Node's server limits: room for 1000 header lines of 8 KiB; Heroku's own limits are checked per request.
const SERVER_OPTIONS: http.ServerOptions = {
  maxHeaderSize: (MAX_HEADERS + 1) * (MAX_LINE_BYTES + 2),
  requestTimeout: 0,
  headersTimeout: 60_000,
  keepAliveTimeout: 60_000,
};

export class Router {
  private readonly clock: Clock;
  // Most recent socket first keeps the fewest hot; idle sockets close just before a dyno's Keep-Alive hint.
  private readonly pool = new DynoPool();
  private readonly server = http.createServer(SERVER_OPTIONS);
  private readonly live = new LiveList<Exchange>();
  private readonly deps: ExchangeDeps;
  private readonly waiters = new Map<Waiter, TimerHandle>();
  private readonly tunnels = new Set<() => void>();
  private backends: readonly Backend[] = [];
  private routing: Routing = 'H14';
  private closing = false;

  constructor(private readonly o: RouterOptions) {
    this.clock = o.clock ?? systemClock;
    this.server.maxHeadersCount = MAX_HEADERS + 1;
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => this.onRequest(req, res));
    this.server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => this.onBadExpect(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    this.server.on('clientError', (err: ParseError, socket: Duplex) => this.onClientError(err, socket));
    this.deps = {
      pool: this.pool,
      clock: this.clock,
      bus: o.bus,
      firstByte: new DeadlineList(this.clock, o.timeoutMs ?? 30_000),
      idle: new DeadlineList(this.clock, o.idleTimeoutMs ?? 55_000),
      backends: () => this.backends,
      done: (x) => this.live.delete(x),
    };
  }

  /** Bind the router; PORT_IN_USE when the port is taken. */
  listen(): Promise<{ host: string; port: number }> {
    const host = this.o.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      const onError = (err: Error & { code?: string }): void => reject(listenError(err, host, this.o.port));
      this.server.once('error', onError);
      this.server.listen({ host, port: this.o.port, backlog: 2048 }, () => {
        this.server.off('error', onError);
        this.server.on('error', () => undefined);
        const address = this.server.address();
        resolve({ host, port: typeof address === 'object' && address ? address.port : this.o.port });
      });
    });
  }

  /** The web dynos and their states; called on every state change. */
  update(backends: readonly Backend[]): void {
    this.backends = backends.map((b) => ({ ...b }));
    const routing = routeFor(this.backends);
    this.routing = routing;
    if (routing === 'wait') return;
    for (const [waiter, timer] of this.waiters) {
      this.waiters.delete(waiter);
      this.clock.clearTimeout(timer);
      if (routing === 'route') waiter.proceed();
      else waiter.fail(routing);
    }
  }

  /** Requests (and upgrades) parked until a web dyno comes up. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** Stop accepting, tear down open connections and the keep-alive pool. */
  async close(): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const [waiter, timer] of this.waiters) {
      this.clock.clearTimeout(timer);
      this.waiters.delete(waiter);
    }
    for (const x of this.live.snapshot()) x.abort();
    for (const teardown of [...this.tunnels]) teardown();
    this.server.closeAllConnections();
    this.pool.destroy();
    this.deps.firstByte.close();
    this.deps.idle.close();
    await closed;
  }

  // One HTTP request: check limits, set Heroku's headers, then route, wait, or fail.
  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const x = new Exchange(this.deps, req, res, this.forwarded(req));
    this.live.add(x);
    const problem = checkRequestLimits({ method: req.method ?? '', url: req.url ?? '', rawHeaders: req.rawHeaders, httpVersion: req.httpVersion });
    if (problem) return x.fail('H26', { cause: 'bad header', status: 400 });
    if (this.routing === 'route') return x.forward(); // the common case: no waiter to build
    const waiter: Waiter = { proceed: () => x.forward(), fail: (code) => x.fail(code) };
    this.route(waiter, () => res.once('close', () => this.dropWaiter(waiter)));
  }

  // Route now, or park the waiter until a dyno is up (H20 after bootWaitMs).
  private route(waiter: Waiter, onPark: () => void): void {
    const routing = this.routing;
    if (routing === 'route') return waiter.proceed();
    if (routing !== 'wait') return waiter.fail(routing);
    const timer = this.clock.setTimeout(() => {
      this.waiters.delete(waiter);
      waiter.fail('H20');
    }, this.o.bootWaitMs ?? 75_000);
    this.waiters.set(waiter, timer);
    onPark();
  }

  // Any Expect other than 100-continue: 417 + H26 (node answers 100-continue itself).
  private onBadExpect(req: IncomingMessage, res: ServerResponse): void {
    const fwd = this.forwarded(req);
    res.writeHead(417, { 'content-length': 0, connection: 'close' });
    res.end();
    this.log(req, fwd, { code: 'H26', cause: 'unsupported expect header value', status: 417 });
  }

  // An Upgrade request (WebSocket): route it like any request, then tunnel.
  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    const fwd = this.forwarded(req);
    const fail = (code: RouterCode): void => {
      failUpgrade(socket, code);
      this.log(req, fwd, { code });
    };
    const proceed = (): void => {
      const backend = pickBackend(this.backends);
      if (!backend || socket.destroyed) return backend ? undefined : fail('H14');
      const teardown = startTunnel({
        req, socket, head, backend, headers: fwd.headers, clock: this.clock, timeoutMs: this.deps.firstByte.windowMs, idleTimeoutMs: this.deps.idle.windowMs,
        onEnd: (f) => {
          this.tunnels.delete(teardown);
          if (!this.closing) this.log(req, fwd, f);
        },
      });
      this.tunnels.add(teardown);
    };
    const waiter: Waiter = { proceed, fail };
    this.route(waiter, () => socket.once('close', () => this.dropWaiter(waiter)));
  }

  // A parked request whose client left: forget its waiter.
  private dropWaiter(waiter: Waiter): void {
    this.clock.clearTimeout(this.waiters.get(waiter));
    this.waiters.delete(waiter);
  }

  // Heroku's headers for this request (X-Request-Id, X-Forwarded-*, Via …).
  private forwarded(req: IncomingMessage): ForwardedRawRequest {
    return forwardRawRequestHeaders(req.rawHeaders, {
      remoteAddress: req.socket.remoteAddress ?? '',
      localPort: req.socket.localPort ?? this.o.port,
      nowMs: Date.now(),
      newId: randomUUID,
    });
  }

  // Malformed or oversized input that node's parser rejects: Heroku answers 400 (node would say 431 for size),
  // except identical duplicate Content-Length headers, which are merged and the request served.
  private onClientError(err: ParseError, socket: Duplex): void {
    // node's own docs: a socket already carrying a response (_httpMessage) must not get a second one.
    const busy = Boolean((socket as Duplex & { _httpMessage?: unknown })._httpMessage);
    if (err.code === 'ECONNRESET' || busy) return void socket.destroy();
    if (err.reason === 'Duplicate Content-Length' && err.rawPacket && socket instanceof Socket) {
      const merged = mergeDuplicateLength(err.rawPacket);
      if (merged && reparse(this.server, socket, merged)) return;
    }
    writeRawResponse(socket, err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400, { 'content-length': 0, connection: 'close' });
  }

  // A router line for requests handled outside an Exchange (upgrades, bad Expect).
  private log(req: IncomingMessage, fwd: ForwardedRawRequest, f: RouterOutcome): void {
    publishRouterLine(this.o.bus, this.clock.now(), routerLineFields(req, fwd, f));
  }
}

/** What node's server hands to 'clientError'. */
type ParseError = Error & { code?: string; reason?: string; rawPacket?: Buffer };

// EADDRINUSE and friends as a DynoError naming the port.
function listenError(err: Error & { code?: string }, host: string, port: number): Error {
  if (err.code === 'EADDRINUSE') {
    return new DynoError('PORT_IN_USE', `router port ${port} on ${host} is already in use`, {
      hint: `stop what listens on ${port}, or pick another base port with --port`,
      cause: err,
    });
  }
  return err;
}
