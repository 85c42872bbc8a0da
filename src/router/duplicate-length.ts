// Identical duplicate Content-Length headers: RFC 9110 §8.6 lets a recipient merge them and Heroku does
// (HEROKU.md §3.5), but node's parser refuses any duplicate ("Duplicate Content-Length", even with
// insecureHTTPParser). The router merges the head itself and hands the connection back to node's server.
import type http from 'node:http';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

const REQUEST_LINE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ \S+ HTTP\/1\.[01]$/;
const CONTENT_LENGTH = /^content-length[ \t]*:[ \t]*(.*?)[ \t]*$/i;

/**
 * The bytes of a request whose head repeats one Content-Length value, with the repeats removed; undefined
 * when the packet does not start with a whole request head, has no repeat, or the values differ (a 400).
 */
export function mergeDuplicateLength(packet: Buffer): Buffer | undefined {
  const end = packet.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = packet.toString('latin1', 0, end).split('\r\n');
  if (!REQUEST_LINE.test(lines[0] ?? '')) return undefined;
  let value: string | undefined;
  let repeats = 0;
  const kept: string[] = [];
  for (const line of lines) {
    const m = CONTENT_LENGTH.exec(line);
    if (!m) {
      kept.push(line);
      continue;
    }
    const v = m[1]!;
    if (!/^\d+$/.test(v) || (value !== undefined && v !== value)) return undefined;
    if (value === undefined) kept.push(line);
    else repeats++;
    value = v;
  }
  if (repeats < 1) return undefined;
  return Buffer.concat([Buffer.from(kept.join('\r\n'), 'latin1'), packet.subarray(end)]);
}

// What the router touches of node's per-connection parser (internal, hence optional: without it, a plain 400).
interface NodeParser {
  _consumed?: boolean;
  unconsume?(): void;
  remove?(): void;
}

/**
 * Detach a socket whose request node's parser refused, and serve `bytes` (the fixed request and whatever
 * follows) on it as a fresh connection of `server`. False when node's internals are not as expected.
 */
export function reparse(server: http.Server, socket: Socket, bytes: Buffer): boolean {
  const holder = socket as Socket & { parser?: NodeParser | null };
  const parser = holder.parser;
  if (!parser || typeof parser.unconsume !== 'function' || typeof parser.remove !== 'function') return false;
  if (parser._consumed) parser.unconsume(); // node read the socket natively; give its bytes back to JS
  parser._consumed = false;
  parser.remove(); // out of the server's header-timeout list: it must not time this socket out later
  holder.parser = null;
  for (const event of ['data', 'end', 'close', 'drain', 'timeout', 'pause', 'resume']) socket.removeAllListeners(event);
  const view = new SocketView(socket);
  view.push(bytes);
  server.emit('connection', view);
  return true;
}

/** A socket seen through a Duplex, so node's server can parse it again from bytes the router chose. */
class SocketView extends Duplex {
  readonly remoteAddress: string | undefined;
  readonly remotePort: number | undefined;
  readonly remoteFamily: string | undefined;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;

  constructor(private readonly real: Socket) {
    super({ allowHalfOpen: true });
    this.remoteAddress = real.remoteAddress;
    this.remotePort = real.remotePort;
    this.remoteFamily = real.remoteFamily;
    this.localAddress = real.localAddress;
    this.localPort = real.localPort;
    real.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) real.pause();
    });
    real.on('end', () => this.push(null));
    real.on('close', () => this.destroy());
    real.on('timeout', () => this.emit('timeout'));
  }

  override _read(): void {
    this.real.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.real.write(chunk, done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.real.end();
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.real.destroy();
    done(err);
  }

  setTimeout(ms: number, onTimeout?: () => void): this {
    this.real.setTimeout(ms);
    if (onTimeout) this.once('timeout', onTimeout);
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }
}
