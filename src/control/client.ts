// The client side of the control socket: send one request, return its reply (or throw its error as a
// DynoError); for `logs --follow`, keep reading the streamed lines until the server goes away.
import fs from 'node:fs';
import net from 'node:net';
import { DynoError } from '../core/errors.js';
import type { LogLine } from '../core/types.js';
import { decodeMessage, encodeRequest, LineReader, type RequestOf, type Verb, type Verbs } from './protocol.js';
import { existingSockets, socketPathsFor } from './socket-path.js';

export interface RequestOptions {
  /** Give up when no reply came within this long (default 10 s; Infinity for restart/stop). */
  timeoutMs?: number;
  /** Receives streamed lines after the reply (logs --follow); the promise of `send` then resolves when the stream ends. */
  onLine?: (line: LogLine) => void;
  /** Called with the reply as soon as it arrives (before streamed lines; useful when following). */
  onReply?: (body: Record<string, unknown>) => void;
  /** Ends a follow early (the reply, if any, is then the result). */
  signal?: AbortSignal;
}

// Connection failures that mean "nobody is listening".
const NOT_LISTENING = new Set(['ENOENT', 'ECONNREFUSED']);

// One request on its own connection: settles once, with the reply (or, with onLine, when the stream ends).
class Exchange {
  private readonly socket: net.Socket;
  private readonly reader = new LineReader();
  private readonly timer: NodeJS.Timeout | undefined;
  private body: Record<string, unknown> | null = null;
  private settled = false;
  readonly done: Promise<Record<string, unknown>>;
  private resolve!: (body: Record<string, unknown>) => void;
  private reject!: (err: Error) => void;

  constructor(private readonly socketPath: string, private readonly verb: Verb, private readonly o: RequestOptions) {
    this.done = new Promise((resolve, reject) => Object.assign(this, { resolve, reject }));
    const timeoutMs = o.timeoutMs ?? 10_000;
    if (Number.isFinite(timeoutMs)) {
      this.timer = setTimeout(() => this.settle(new DynoError('CONTROL_PROTOCOL', `dyno start did not answer "${verb}" within ${timeoutMs / 1000} s`)), timeoutMs);
    }
    this.socket = net.connect(socketPath);
    o.signal?.addEventListener('abort', () => this.settle(this.body ?? new DynoError('CONTROL_PROTOCOL', `"${verb}" was cancelled`)), { once: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err: NodeJS.ErrnoException) => this.settle(NOT_LISTENING.has(err.code ?? '') ? notRunning(socketPath, err) : new DynoError('CONTROL_PROTOCOL', `control socket ${socketPath}: ${err.message}`, { cause: err })));
    this.socket.on('close', () => this.settle(this.body ?? new DynoError('CONTROL_PROTOCOL', `dyno start closed the connection without answering "${verb}"`)));
  }

  send(request: RequestOf<Verb>): Promise<Record<string, unknown>> {
    this.socket.write(encodeRequest(1, request));
    return this.done;
  }

  // The first message must be the reply; lines may follow it when following.
  private onData(chunk: Buffer): void {
    let texts: string[];
    try {
      texts = this.reader.push(chunk);
    } catch (err) {
      return this.settle(new DynoError('CONTROL_PROTOCOL', (err as Error).message));
    }
    for (const text of texts) {
      const message = decodeMessage(text, 1);
      if (!message) return this.settle(new DynoError('CONTROL_PROTOCOL', `dyno start sent an unreadable reply: ${text.slice(0, 200)}`));
      if (this.body !== null && message.kind === 'line') this.o.onLine?.(message.line);
      else if (this.body !== null || message.kind === 'line') return this.settle(new DynoError('CONTROL_PROTOCOL', 'dyno start sent more than one reply'));
      else if (!message.ok) return this.settle(new DynoError(message.error.code, message.error.message, { hint: message.error.hint }));
      else this.onReply(message.body);
    }
  }

  private onReply(body: Record<string, unknown>): void {
    this.body = body;
    this.o.onReply?.(body);
    if (this.o.onLine) clearTimeout(this.timer);
    else this.settle(body);
  }

  private settle(outcome: Record<string, unknown> | Error): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    if (outcome instanceof Error) {
      this.socket.destroy();
      this.reject(outcome);
    } else {
      this.socket.end();
      this.resolve(outcome);
    }
  }
}

function notRunning(where: string, cause?: unknown): DynoError {
  return new DynoError('NOT_RUNNING', `dyno start is not running (nothing listens on ${where})`, {
    cause,
    hint: 'start the app with `dyno start`; a socket left by a killed dyno start is replaced then',
  });
}

/** Send one request to the server at `socketPath`; resolves with the reply's fields. */
export async function request<V extends Verb>(socketPath: string, req: RequestOf<V>, o: RequestOptions = {}): Promise<Verbs[V]['reply']> {
  return (await new Exchange(socketPath, req.verb, o).send(req)) as unknown as Verbs[V]['reply'];
}

/** Send one request to the `dyno start` of the app at `root`. NOT_RUNNING when none runs. */
export async function requestApp<V extends Verb>(root: string, req: RequestOf<V>, o: RequestOptions = {}): Promise<Verbs[V]['reply']> {
  const sockets = existingSockets(socketPathsFor(root));
  const looksLikeDyno = /^[\w-]+\.\d+$/.test(root.split('/').pop() ?? '') && !fs.existsSync(root);
  const hint = looksLikeDyno
    ? `-d is the app directory (as for dyno start); to pick a dyno, use --dyno ${root.split('/').pop()}`
    : 'start the app with `dyno start` there, or point at it with -d <dir>';
  if (sockets.length === 0) throw new DynoError('NOT_RUNNING', `no dyno start is running for ${root}`, { hint });
  let last: unknown;
  for (const socketPath of sockets) {
    try {
      return await request(socketPath, req, o);
    } catch (err) {
      const refused = err instanceof DynoError && NOT_LISTENING.has((err.cause as NodeJS.ErrnoException | undefined)?.code ?? '');
      if (!refused) throw err;
      last = err;
    }
  }
  throw new DynoError('NOT_RUNNING', `no dyno start is running for ${root} (its socket is left over from one that was killed)`, { hint, cause: last });
}
