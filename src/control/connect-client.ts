// The client side of `dyno connect`: one connection carrying the `connect` request (its reply, then
// the dyno's lines streamed) and an `input` request per line typed. Settles when the server goes away.
import net from 'node:net';
import { DynoError } from '../core/errors.js';
import type { LogLine } from '../core/types.js';
import { decodeMessage, encodeRequest, LineReader } from './protocol.js';

export interface ConnectHandlers {
  /** The dyno the name resolved to, and its recent lines. */
  onReply(dyno: string, lines: LogLine[]): void;
  onLine(line: LogLine): void;
  /** An input was refused (the dyno is not running); the session goes on. */
  onInputError(err: DynoError): void;
}

export class ConnectSession {
  /** Resolves when the server ends the stream (dyno start stopped); rejects when `connect` is refused. */
  readonly done: Promise<void>;
  /** Resolves with the dyno once `connect` is answered; rejects as `done` does when refused. */
  readonly ready: Promise<string>;
  private ok!: (dyno: string) => void;
  private readonly socket: net.Socket;
  private readonly reader = new LineReader();
  private dyno: string | null = null;
  private nextId = 2;
  /** Input sent before the reply named the dyno. */
  private early: Array<() => void> = [];
  private readonly acks = new Map<number, () => void>();
  private resolve!: () => void;
  private reject!: (err: Error) => void;

  constructor(socketPath: string, name: string, private readonly h: ConnectHandlers) {
    this.done = new Promise((resolve, reject) => Object.assign(this, { resolve, reject }));
    this.ready = new Promise((ok, refused) => {
      this.ok = ok;
      this.done.then(() => refused(new DynoError('NOT_RUNNING', 'dyno start closed the connection before answering "connect"')), refused);
    });
    this.ready.catch(() => undefined);
    this.socket = net.connect(socketPath);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => this.reject(new DynoError('NOT_RUNNING', `control socket ${socketPath}: ${err.message}`, { cause: err })));
    this.socket.on('close', () => {
      for (const ack of this.acks.values()) ack();
      for (const send of this.early.splice(0)) send();
      this.resolve();
    });
    this.socket.write(encodeRequest(1, { verb: 'connect', dyno: name }));
  }

  /** Send text to the dyno's stdin; resolves once dyno start has handled it. */
  send(data: string): Promise<void> {
    if (this.socket.destroyed) return Promise.resolve();
    if (!this.dyno) return new Promise((resolve) => this.early.push(() => void this.send(data).then(resolve)));
    const id = this.nextId++;
    this.socket.write(encodeRequest(id, { verb: 'input', dyno: this.dyno, data }));
    return new Promise((resolve) => this.acks.set(id, resolve));
  }

  /** Detach: close the connection (the dyno keeps running). */
  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let texts: string[];
    try {
      texts = this.reader.push(chunk);
    } catch (err) {
      return void this.fail(new DynoError('CONTROL_PROTOCOL', (err as Error).message));
    }
    for (const text of texts) this.onMessage(text);
  }

  private onMessage(text: string): void {
    let id: unknown;
    try {
      id = (JSON.parse(text) as { id?: unknown }).id;
    } catch {
      id = undefined;
    }
    const message = typeof id === 'number' ? decodeMessage(text, id) : null;
    if (!message) return this.fail(new DynoError('CONTROL_PROTOCOL', `dyno start sent an unreadable reply: ${text.slice(0, 200)}`));
    if (id !== 1) {
      if (message.kind === 'reply' && !message.ok) this.h.onInputError(new DynoError(message.error.code, message.error.message, { hint: message.error.hint }));
      this.acks.get(id as number)?.();
      this.acks.delete(id as number);
      return;
    }
    if (message.kind === 'line') return this.h.onLine(message.line);
    if (!message.ok) return this.fail(new DynoError(message.error.code, message.error.message, { hint: message.error.hint }));
    this.dyno = String(message.body.dyno);
    this.h.onReply(this.dyno, message.body.lines as LogLine[]);
    this.ok(this.dyno);
    for (const send of this.early.splice(0)) send();
  }

  private fail(err: Error): void {
    this.reject(err);
    this.socket.destroy();
  }
}
