// Shared pieces for the router tests: a collecting sink, in-process backends, raw and http clients, a fake clock.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Backend, LogLine, LogSink } from '../../../src/core/types.js';
import { Router, type RouterOptions } from '../../../src/router/router.js';
import { waitFor } from '../../helpers/wait-for.js';

/** A LogSink that keeps every line. */
export class CollectSink implements LogSink {
  readonly lines: LogLine[] = [];
  publish(line: LogLine): void {
    this.lines.push(line);
  }
  /** Router lines (source heroku) as text. */
  router(): string[] {
    return this.lines.filter((l) => l.source === 'heroku').map((l) => l.text);
  }
  /** Wait for a line (any source) matching `re`. */
  waitLine(re: RegExp, timeoutMs = 3000): Promise<LogLine> {
    return waitFor(() => this.lines.find((l) => re.test(l.text)), { timeoutMs, what: () => `a line matching ${re}; got:\n${this.lines.map((l) => l.text).join('\n')}` });
  }
}

export interface RouterHarness {
  router: Router;
  port: number;
  sink: CollectSink;
}

// A router on an ephemeral port with short test timings.
export async function startRouter(o: Partial<RouterOptions> = {}, backends: Backend[] = []): Promise<RouterHarness> {
  const sink = new CollectSink();
  const router = new Router({ port: 0, bus: sink, timeoutMs: 300, idleTimeoutMs: 300, bootWaitMs: 300, ...o });
  const { port } = await router.listen();
  router.update(backends);
  return { router, port, sink };
}

export interface TestBackend {
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

// An in-process web dyno on 127.0.0.1 (keep-alive 95 s as Heroku advises).
export async function startBackend(handler: http.RequestListener, port = 0): Promise<TestBackend> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 95_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

// One request with its own connection; resolves with status, headers and body.
export function request(port: number, o: { method?: string; path?: string; headers?: http.OutgoingHttpHeaders; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: o.method ?? 'GET', path: o.path ?? '/', headers: o.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

// Send raw bytes over TCP and collect everything until the router closes or `until` matches; `end` half-closes after writing.
export function rawExchange(port: number, bytes: string | Buffer, until?: RegExp, end = false): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    const finish = (): void => {
      socket.destroy();
      resolve(text);
    };
    socket.on('data', (c) => {
      text += c.toString('latin1');
      if (until?.test(text)) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.write(bytes);
    if (end) socket.end();
  });
}

/** Backend list helper: `up('web.1', port)`. */
export function up(name: string, port: number): Backend {
  return { name, port, state: 'up' };
}

export { FakeClock } from '../../helpers/fake-clock.js';
