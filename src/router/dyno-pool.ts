// The router's keep-alive connections to the dynos: an Agent-like pool for http.request (`addRequest` is all
// node's ClientRequest calls), without http.Agent's per-request bookkeeping (option spreads, name keys,
// socket/free/request tables, async-id resets, a 'free' event through the agent). Idle sockets per dyno port,
// most recent first; a dyno's `Keep-Alive: timeout=N` hint closes an idle socket 1 s before the dyno would.
import net, { type Socket } from 'node:net';
import type { ClientRequest, IncomingMessage } from 'node:http';

/** What node passes to `addRequest` (the request options). */
interface PoolRequestOptions {
  host?: string | null;
  port?: number | string | null;
}

/** Node's ClientRequest fields the pool touches (public in behaviour, not in @types/node). */
type PooledRequest = ClientRequest & { onSocket(socket: Socket, err?: Error): void; shouldKeepAlive?: boolean; res?: IncomingMessage | null };
type PooledSocket = Socket & { _httpMessage?: PooledRequest | null };

// Close an idle socket this long before the dyno's announced keep-alive timeout (node's agent does the same).
const HINT_MARGIN_MS = 1000;

export class DynoPool {
  /** ClientRequest sends `Connection: keep-alive` and keeps the socket only for a keep-alive agent. */
  readonly keepAlive = true;
  private readonly idle = new Map<number, PooledSocket[]>();
  private readonly all = new Set<Socket>();

  /** Called by http.request: hand the request a pooled socket, or a new connection. */
  addRequest(req: PooledRequest, options: PoolRequestOptions): void {
    const port = Number(options.port);
    const free = this.idle.get(port);
    let socket = free?.pop();
    while (socket && socket.destroyed) socket = free!.pop();
    if (socket) {
      socket.removeListener('error', onIdleError);
      req.reusedSocket = true;
      socket.ref();
      return req.onSocket(socket);
    }
    req.onSocket(this.connect(options.host ?? '127.0.0.1', port));
  }

  /** Close every connection, idle or in use. */
  destroy(): void {
    for (const socket of this.all) socket.destroy();
    this.idle.clear();
  }

  private connect(host: string, port: number): Socket {
    const socket: PooledSocket = net.createConnection({ host, port, noDelay: true }); // as http.Agent: no Nagle delay on a request head
    this.all.add(socket);
    socket.setKeepAlive(true, 1000);
    socket.on('free', () => this.onFree(socket, port));
    socket.on('timeout', () => {
      if (!socket._httpMessage) socket.destroy(); // only an idle socket times out
    });
    socket.once('close', () => {
      this.all.delete(socket);
      const free = this.idle.get(port);
      const at = free ? free.indexOf(socket) : -1;
      if (at >= 0) free!.splice(at, 1);
    });
    return socket;
  }

  // The response ended and the request was fully sent: keep the socket if both sides allow it.
  private onFree(socket: PooledSocket, port: number): void {
    const req = socket._httpMessage;
    if (!socket.writable || !req || !req.shouldKeepAlive) return void socket.destroy();
    const hintMs = keepAliveHintMs(req.res?.rawHeaders);
    if (hintMs !== undefined && hintMs <= HINT_MARGIN_MS) return void socket.destroy();
    const timeoutMs = hintMs === undefined ? 0 : hintMs - HINT_MARGIN_MS;
    if (socket.timeout !== timeoutMs) socket.setTimeout(timeoutMs);
    socket._httpMessage = null;
    socket.unref();
    socket.once('error', onIdleError);
    let free = this.idle.get(port);
    if (!free) this.idle.set(port, (free = []));
    free.push(socket);
  }
}

// An idle socket's error (the dyno reset it): it closes, and 'close' takes it out of the pool.
function onIdleError(this: Socket): void {
  this.destroy();
}

/** `Keep-Alive: timeout=N` from the dyno's response head, in ms; undefined without one. */
export function keepAliveHintMs(raw: readonly string[] | undefined): number | undefined {
  if (!raw) return undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 10 || name.toLowerCase() !== 'keep-alive') continue;
    const m = /(?:^|[\s,;])timeout=(\d+)/i.exec(raw[i + 1]!); // `timeout=5, max=100` (node) or `max=100, timeout=5`
    if (m) return Number(m[1]) * 1000;
  }
  return undefined;
}
