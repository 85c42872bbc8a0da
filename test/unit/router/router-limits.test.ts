// Heroku's response rules (HEROKU.md §3.2, §3.5) and RFC 9112's request framing rules, over raw sockets:
// a dyno that writes exact bytes, a client that writes exact bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../../helpers/wait-for.js';
import { rawExchange, request, startBackend, startRouter, up } from './router-harness.js';

interface RawDyno {
  port: number;
  /** Requests whose head the dyno received. */
  heads: string[];
  close(): Promise<void>;
}

// A dyno that reads a request head, writes `bytes` verbatim and then closes (or keeps the socket open).
async function rawDyno(bytes: string | Buffer, close = true): Promise<RawDyno> {
  const heads: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let got = '';
    socket.on('data', (c: Buffer) => {
      got += c.toString('latin1');
      if (!got.includes('\r\n\r\n')) return;
      heads.push(got);
      got = '';
      if (close) socket.end(bytes);
      else socket.write(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    heads,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const GET = 'GET /r HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n';
const KiB = 1024;
const ok = (head: string): string => `${head}Content-Length: 2\r\n\r\nok`;

interface ResponseRow {
  name: string;
  /** What the dyno writes. */
  dyno: string;
  /** Whether the dyno closes its socket after writing (else it stays silent, as a stuck server would). */
  close?: boolean;
  status: number;
  /** The router line. */
  line: RegExp;
  /** Extra checks on what the client received. */
  client?: (text: string) => void;
}

const H25 = (desc: string): RegExp => new RegExp(`^at=error code=H25 desc="HTTP restriction: ${desc}" method=GET path="/r" host=app\\.test .* dyno=web\\.1 connect=\\d+ms service=\\d+ms status=502 bytes=0 protocol=http$`);
const H17 = /^at=error code=H17 desc="Poorly formatted HTTP response" method=GET path="\/r" .* dyno=web\.1 connect=\d+ms service=\d+ms status=503 bytes=0 protocol=http$/;

const responseRows: ResponseRow[] = [
  {
    name: 'a 20 KB response header passes (node alone would say H13)',
    dyno: ok(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(20_000)}\r\n`),
    status: 200,
    line: /^at=info .* status=200 bytes=2 protocol=http$/,
    client: (text) => assert.match(text, /\r\nx-big: a{20000}\r\n/i, 'the header reaches the client whole'),
  },
  {
    name: 'a response header line of exactly 512 KiB passes',
    dyno: ok(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(512 * KiB - 'X-Big: '.length)}\r\n`),
    status: 200,
    line: /^at=info .* status=200 bytes=2 /,
  },
  {
    name: 'a response header line of 512 KiB + 1 byte is 502 + H25 oversized header',
    dyno: ok(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(512 * KiB - 'X-Big: '.length + 1)}\r\n`),
    status: 502,
    line: H25('oversized header'),
  },
  {
    name: 'a response head past the router\'s 8 MiB total is 502 + H25 oversized header',
    dyno: ok(`HTTP/1.1 200 OK\r\n${Array.from({ length: 17 }, (_, i) => `X-Big-${i}: ${'a'.repeat(500 * KiB)}\r\n`).join('')}`),
    status: 502,
    line: H25('oversized header'),
  },
  {
    name: 'a Set-Cookie of 8192 bytes passes',
    dyno: ok(`HTTP/1.1 200 OK\r\nSet-Cookie: ${'c'.repeat(8192)}\r\n`),
    status: 200,
    line: /^at=info .* status=200 /,
  },
  {
    name: 'a Set-Cookie of 8193 bytes is 502 + H25 oversized cookie',
    dyno: ok(`HTTP/1.1 200 OK\r\nset-cookie: ${'c'.repeat(8193)}\r\n`),
    status: 502,
    line: H25('oversized cookie'),
  },
  {
    name: 'a status line of 8192 bytes passes',
    dyno: ok(`HTTP/1.1 200 ${'R'.repeat(8192 - 'HTTP/1.1 200 '.length)}\r\n`),
    status: 200,
    line: /^at=info .* status=200 /,
  },
  {
    name: 'a status line of 8193 bytes is 502 + H25 oversized status line',
    dyno: ok(`HTTP/1.1 200 ${'R'.repeat(8193 - 'HTTP/1.1 200 '.length)}\r\n`),
    status: 502,
    line: H25('oversized status line'),
  },
  {
    name: 'a non-numeric Content-Length is 502 + H25 invalid content length',
    dyno: 'HTTP/1.1 200 OK\r\nContent-Length: two\r\n\r\nok',
    status: 502,
    line: H25('invalid content length'),
  },
  {
    name: 'two different Content-Length headers are 502 + H25 invalid content length',
    dyno: 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok',
    status: 502,
    line: H25('invalid content length'),
  },
  {
    name: 'a response that is not HTTP is 503 + H17',
    dyno: 'SSH-2.0-OpenSSH_9.2\r\n\r\n',
    status: 503,
    line: H17,
  },
  {
    name: 'a status line without a reason phrase is 503 + H17, as Heroku documents',
    dyno: 'HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok',
    status: 503,
    line: H17,
  },
  {
    name: 'a head cut off by the dyno closing is 503 + H17',
    dyno: 'HTTP/1.1 200 OK\r\nContent-Le',
    status: 503,
    line: H17,
  },
  {
    name: 'a dyno that closes without a byte is 503 + H13',
    dyno: '',
    status: 503,
    line: /^at=error code=H13 desc="Connection closed without response" .* dyno=web\.1 .* status=503 bytes=0 /,
  },
];

for (const row of responseRows) {
  test(`response rules: ${row.name}`, async () => {
    const dyno = await rawDyno(row.dyno, row.close ?? true);
    const h = await startRouter({ timeoutMs: 3000 }, [up('web.1', dyno.port)]);
    const text = await rawExchange(h.port, GET);
    assert.match(text, new RegExp(`^HTTP/1\\.1 ${row.status} `));
    if (row.status !== 200) assert.match(text, /Application error/);
    const line = await h.sink.waitLine(/ protocol=http$/);
    assert.match(line.text, row.line);
    assert.equal(h.sink.router().length, 1, 'one router line');
    row.client?.(text);
    await h.router.close();
    await dyno.close();
  });
}

interface RequestRow {
  name: string;
  /** What the client writes (the router closes the connection after the last answer). */
  client: string;
  /** Status lines the client gets, in order. */
  statuses: number[];
  /** What the dyno saw: `content-length` and body per request served. */
  dyno: string[];
  line?: RegExp;
}

const requestRows: RequestRow[] = [
  {
    name: 'identical duplicate Content-Length headers are merged and the request served',
    client: 'POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc',
    statuses: [200],
    dyno: ['cl=3 body=abc'],
  },
  {
    name: 'a merged request keeps its connection: the next request on it is served too',
    client: 'POST /up HTTP/1.1\r\nHost: x\r\ncontent-length: 3\r\nContent-Length:3\r\n\r\nabcGET /next HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    statuses: [200, 200],
    dyno: ['cl=3 body=abc', 'cl=undefined body='],
  },
  {
    name: 'different Content-Length headers are 400',
    client: 'POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd',
    statuses: [400],
    dyno: [],
  },
  {
    name: 'a multi-valued Content-Length is 400',
    client: 'POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\nConnection: close\r\n\r\nabc',
    statuses: [400],
    dyno: [],
  },
  {
    name: 'an HTTP/1.0 request without Host is 400 with a Request Error line',
    client: 'GET /old HTTP/1.0\r\n\r\n',
    statuses: [400],
    dyno: [],
    line: /^at=error code=H26 desc="Request Error" cause="bad header" method=GET path="\/old" host= .* status=400 /,
  },
  {
    name: 'an HTTP/1.0 request with Host is served',
    client: 'GET /old HTTP/1.0\r\nHost: x\r\n\r\n',
    statuses: [200],
    dyno: ['cl=undefined body='],
  },
  {
    name: 'an HTTP/1.1 request without Host is 400',
    client: 'GET / HTTP/1.1\r\nConnection: close\r\n\r\n',
    statuses: [400],
    dyno: [],
  },
];

for (const row of requestRows) {
  test(`request rules: ${row.name}`, async () => {
    const seen: string[] = [];
    const b = await startBackend((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        seen.push(`cl=${req.headers['content-length']} body=${body}`);
        res.end('done');
      });
    });
    const h = await startRouter({}, [up('web.1', b.port)]);
    const text = await rawExchange(h.port, row.client);
    assert.deepEqual([...text.matchAll(/HTTP\/1\.[01] (\d{3}) /g)].map((m) => Number(m[1])), row.statuses, text);
    assert.deepEqual(seen, row.dyno);
    if (row.line) assert.match((await h.sink.waitLine(/H26/)).text, row.line);
    assert.equal((await request(h.port)).body, 'done', 'the router still serves');
    await h.router.close();
    await b.close();
  });
}

test('a merged request is served with the client address and port of the real connection', async () => {
  let fwd: string | undefined;
  let port: string | undefined;
  const b = await startBackend((req, res) => {
    fwd = String(req.headers['x-forwarded-for']);
    port = String(req.headers['x-forwarded-port']);
    req.resume();
    req.on('end', () => res.end());
  });
  const h = await startRouter({}, [up('web.1', b.port)]);
  await rawExchange(h.port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\nConnection: close\r\n\r\nz');
  await waitFor(() => fwd, { what: 'the dyno reached' });
  assert.equal(fwd, '127.0.0.1');
  assert.equal(port, String(h.port));
  await h.router.close();
  await b.close();
});
