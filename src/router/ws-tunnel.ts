// WebSocket (any Upgrade) pass-through: our own tunnel, since http-proxy 1.18.1's ws path leaks sockets (NODE-NOTES §5).
import http, { type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { Backend } from '../core/types.js';
import { stripHopByHop } from './headers.js';
import { IdleWindow } from './idle-window.js';
import { lingerClose } from './linger-close.js';
import { ROUTER_ERRORS, renderErrorPage, type RouterCode } from './router-errors.js';
import type { RouterOutcome } from './router-line.js';

/** One upgrade request to tunnel. */
export interface TunnelOptions {
  req: IncomingMessage;
  socket: Duplex;
  /** Bytes the client sent after its request head. */
  head: Buffer;
  backend: Backend;
  /** Dyno-bound headers (X-Forwarded-* etc.) as a flat list; Connection/Upgrade are restored here. */
  headers: string[];
  clock: Clock;
  /** No response to the upgrade within this long after it was sent: 503 + H12, the dyno's socket closed. */
  timeoutMs: number;
  idleTimeoutMs: number;
  /** Called once with what the router line reports. */
  onEnd: (f: RouterOutcome) => void;
}

// Write a whole HTTP response by hand on a raw socket, then close it (lingering: the client reads it whole).
export function writeRawResponse(socket: Duplex, status: number, headers: Record<string, string | number>, body = ''): void {
  if (!socket.writable) return void socket.destroy();
  const lines = [`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  lingerClose(socket, `${lines.join('\r\n')}\r\n\r\n${body}`);
}

// Answer an upgrade request with Heroku's error page (the client never gets a tunnel).
export function failUpgrade(socket: Duplex, code: RouterCode): void {
  const page = renderErrorPage(code);
  const headers = { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(page), connection: 'close' };
  writeRawResponse(socket, ROUTER_ERRORS[code].status, headers, page);
}

// Connect to the dyno, replay the upgrade, then splice the two sockets; returns a teardown.
export function startTunnel(o: TunnelOptions): () => void {
  const startedAt = o.clock.now();
  let connectMs: number | undefined;
  let upgradedAt = 0;
  let bytes = 0;
  let finished = false;
  let upstream: Duplex | undefined;
  let h12: TimerHandle | undefined;
  const finish = (f: RouterOutcome, soft = true): void => {
    if (finished) return;
    finished = true;
    o.clock.clearTimeout(h12);
    idle.stop();
    closeSocket(o.socket, soft);
    closeSocket(upstream, soft);
    if (!upstream) proxyReq.destroy();
    o.onEnd({ dyno: o.backend.name, connectMs, ...f });
  };
  const idle = new IdleWindow({ clock: o.clock, windowMs: o.idleTimeoutMs, onIdle: () => finish({ code: 'H15', bytes, serviceMs: o.clock.now() - upgradedAt }, false) });
  const headers = [...o.headers, 'Connection', 'Upgrade', 'Upgrade', o.req.headers.upgrade ?? 'websocket'];
  const proxyReq = http.request({ host: '127.0.0.1', port: o.backend.port, method: o.req.method, path: o.req.url, headers, agent: false });
  proxyReq.on('socket', (s) => s.once('connect', () => (connectMs = o.clock.now() - startedAt)));
  // Like any request, the dyno must start answering within the router timeout once the upgrade is sent.
  proxyReq.on('finish', () => {
    if (finished) return;
    const sentAt = o.clock.now();
    h12 = o.clock.setTimeout(() => {
      if (finished) return;
      finished = true;
      idle.stop();
      failUpgrade(o.socket, 'H12');
      proxyReq.destroy(); // unlike an HTTP H12, nothing could ever use this connection: close it
      o.onEnd({ dyno: o.backend.name, connectMs, code: 'H12', bytes: 0, serviceMs: o.clock.now() - sentAt });
    }, o.timeoutMs);
  });
  proxyReq.on('error', (err: Error & { code?: string }) => {
    o.clock.clearTimeout(h12);
    if (finished || upgradedAt) return;
    const code: RouterCode = err.code === 'ECONNREFUSED' ? 'H21' : 'H13';
    failUpgrade(o.socket, code);
    finished = true;
    o.onEnd({ dyno: o.backend.name, connectMs, code, bytes: code === 'H13' ? 0 : undefined });
  });
  o.socket.on('error', () => undefined);
  o.socket.on('close', () => {
    if (upgradedAt) finish({ status: 101, bytes, serviceMs: o.clock.now() - upgradedAt });
    else finish({ code: 'H27', bytes: 0 }, false);
  });
  proxyReq.on('response', (proxyRes) => {
    o.clock.clearTimeout(h12);
    relayRefusal(o, proxyRes, (status, n) => finish({ status, bytes: n, serviceMs: o.clock.now() - startedAt }));
  });
  proxyReq.on('upgrade', (proxyRes, proxySocket: Duplex, proxyHead: Buffer) => {
    o.clock.clearTimeout(h12);
    upstream = proxySocket;
    upgradedAt = o.clock.now();
    proxySocket.on('error', () => undefined);
    if (finished) return void proxySocket.destroy();
    const lines = ['HTTP/1.1 101 Switching Protocols'];
    for (let i = 0; i + 1 < proxyRes.rawHeaders.length; i += 2) lines.push(`${proxyRes.rawHeaders[i]}: ${proxyRes.rawHeaders[i + 1]}`);
    o.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    bytes += proxyHead.length;
    if (proxyHead.length) o.socket.write(proxyHead);
    if (o.head.length) proxySocket.write(o.head);
    idle.start();
    proxySocket.on('data', (chunk: Buffer) => { bytes += chunk.length; idle.touch(); });
    o.socket.on('data', () => idle.touch());
    proxySocket.on('close', () => finish({ status: 101, bytes, serviceMs: o.clock.now() - upgradedAt }));
    proxySocket.pipe(o.socket);
    o.socket.pipe(proxySocket);
  });
  proxyReq.end();
  return () => finish({ status: 101, bytes }, false);
}

// Close a socket after what we wrote has been flushed (soft), or at once.
function closeSocket(s: Duplex | undefined, soft: boolean): void {
  if (!s || s.destroyed) return;
  if (!soft || !s.writable) return void s.destroy();
  s.once('finish', () => s.destroy());
  s.end();
}

// The dyno answered the upgrade with an ordinary response: pass it on, close-delimited.
function relayRefusal(o: TunnelOptions, proxyRes: IncomingMessage, done: (status: number, bytes: number) => void): void {
  const status = proxyRes.statusCode ?? 502;
  const headers = stripHopByHop(proxyRes.headers, true);
  delete headers['content-length'];
  const lines = [`HTTP/1.1 ${status} ${proxyRes.statusMessage ?? ''}`, 'connection: close'];
  for (const [k, v] of Object.entries(headers)) for (const one of [v].flat()) lines.push(`${k}: ${one}`);
  let n = 0;
  if (o.socket.writable) o.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  proxyRes.on('data', (chunk: Buffer) => { n += chunk.length; if (o.socket.writable) o.socket.write(chunk); });
  proxyRes.on('error', () => undefined);
  proxyRes.on('close', () => done(status, n));
}
