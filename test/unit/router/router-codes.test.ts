import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../../helpers/wait-for.js';
import { rawExchange, request, startBackend, startRouter, up, type RouterHarness, type TestBackend } from './router-harness.js';

// After every scenario: the router still serves a fresh request, then closes cleanly.
async function stillWorksThenClose(h: RouterHarness, ...backends: TestBackend[]): Promise<void> {
  const ok = await startBackend((_req, res) => res.end('still ok'));
  h.router.update([up('web.9', ok.port)]);
  const r = await request(h.port);
  assert.equal(r.status, 200);
  assert.equal(r.body, 'still ok');
  await h.router.close();
  for (const b of [ok, ...backends]) await b.close();
}

// A port nothing listens on.
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

test('a served request gets the dyno response and an at=info line with status and bytes', async () => {
  const b = await startBackend((_req, res) => res.end('Hello, world!'));
  const h = await startRouter({}, [up('web.1', b.port)]);
  const r = await request(h.port, { path: '/x?y=1', headers: { 'x-forwarded-for': '204.204.204.204' } });
  assert.equal(r.status, 200);
  assert.equal(r.body, 'Hello, world!');
  const line = await h.sink.waitLine(/at=info/);
  assert.match(line.text, /^at=info method=GET path="\/x\?y=1" host=127\.0\.0\.1:\d+ request_id=[0-9a-f-]{36} fwd="204\.204\.204\.204, 127\.0\.0\.1" dyno=web\.1 connect=\d+ms service=\d+ms status=200 bytes=13 protocol=http$/);
  assert.equal(line.source, 'heroku');
  assert.equal(line.dyno, 'router');
  await stillWorksThenClose(h, b);
});

test('the dyno receives Heroku headers and no hop-by-hop ones', async () => {
  let seen: http.IncomingHttpHeaders = {};
  const b = await startBackend((req, res) => {
    seen = req.headers;
    res.end();
  });
  const h = await startRouter({}, [up('web.1', b.port)]);
  const r = await request(h.port, { headers: { 'x-request-id': 'client-supplied-id-0123456789', 'x-forwarded-proto': 'https', 'proxy-authorization': 'secret', via: '1.0 corp' } });
  assert.equal(r.status, 200);
  assert.equal(seen['x-request-id'], 'client-supplied-id-0123456789');
  assert.equal(seen['x-forwarded-proto'], 'http');
  assert.equal(seen['x-forwarded-port'], String(h.port));
  assert.equal(seen['x-forwarded-for'], '127.0.0.1');
  assert.equal(seen.via, '1.0 corp, 1.1 vegur');
  assert.equal(seen['proxy-authorization'], undefined);
  assert.ok(Math.abs(Number(seen['x-request-start']) - Date.now()) < 5000);
  assert.match((await h.sink.waitLine(/at=info/)).text, /request_id=client-supplied-id-0123456789 /);
  await stillWorksThenClose(h, b);
});

test('H14: no web dyno at all gets 503, the error page and empty dyno fields', async () => {
  const h = await startRouter({}, []);
  const r = await request(h.port);
  assert.equal(r.status, 503);
  assert.match(r.body, /Application error/);
  assert.match((await h.sink.waitLine(/H14/)).text, /^at=error code=H14 desc="No web processes running" method=GET path="\/" .* dyno= connect= service= status=503 bytes= protocol=http$/);
  await stillWorksThenClose(h);
});

test('H10: all web dynos crashed', async () => {
  const h = await startRouter({}, [{ name: 'web.1', port: 1, state: 'crashed' }]);
  assert.equal((await request(h.port)).status, 503);
  assert.match((await h.sink.waitLine(/H10/)).text, /^at=error code=H10 desc="App crashed" .* dyno= connect= service= status=503 bytes= /);
  await stillWorksThenClose(h);
});

test('H20: a request waits for a starting dyno and gives up after bootWaitMs', async () => {
  const h = await startRouter({ bootWaitMs: 150 }, [{ name: 'web.1', port: 1, state: 'starting' }]);
  const started = Date.now();
  const r = await request(h.port);
  assert.equal(r.status, 503);
  assert.ok(Date.now() - started >= 140, 'waited for the boot');
  assert.match((await h.sink.waitLine(/H20/)).text, /^at=error code=H20 desc="App boot timeout" .* dyno= connect= service= status=503 bytes= /);
  await stillWorksThenClose(h);
});

test('a request waiting for a starting dyno is served as soon as it is up', async () => {
  const b = await startBackend((_req, res) => res.end('booted'));
  const h = await startRouter({ bootWaitMs: 5000 }, [{ name: 'web.1', port: b.port, state: 'starting' }]);
  const pending = request(h.port);
  await waitFor(() => h.router.waiting === 1, { what: 'the request parked' });
  h.router.update([up('web.1', b.port)]);
  const r = await pending;
  assert.equal(r.body, 'booted');
  await stillWorksThenClose(h, b);
});

test('H21: connection refused by every up dyno', async () => {
  const h = await startRouter({}, [up('web.1', await freePort()), up('web.2', await freePort())]);
  assert.equal((await request(h.port)).status, 503);
  assert.match((await h.sink.waitLine(/H21/)).text, /^at=error code=H21 desc="Backend connection refused" .* dyno=web\.\d connect=\d+ms service= status=503 bytes= /);
  await stillWorksThenClose(h);
});

test('a refused connection is retried on another up dyno, body included', async () => {
  const b = await startBackend((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => res.end(`got ${body.length}`));
  });
  const dead = await freePort();
  const h = await startRouter({}, [up('web.1', dead), up('web.2', b.port)]);
  for (let i = 0; i < 8; i++) {
    const r = await request(h.port, { method: 'POST', body: 'z'.repeat(100_000) });
    assert.equal(r.body, 'got 100000');
  }
  assert.equal(h.sink.router().filter((l) => l.includes('dyno=web.2 ') && l.includes('status=200')).length, 8);
  await stillWorksThenClose(h, b);
});

test('H13: the dyno closes the connection without a response', async () => {
  const b = await startBackend((req) => req.socket.destroy());
  const h = await startRouter({}, [up('web.1', b.port)]);
  assert.equal((await request(h.port)).status, 503);
  assert.match((await h.sink.waitLine(/H13/)).text, /^at=error code=H13 desc="Connection closed without response" .* dyno=web\.1 connect=\d+ms service=\d+ms status=503 bytes=0 /);
  await stillWorksThenClose(h, b);
});

test('H18: the dyno closes mid-response; the client sees a truncated response', async () => {
  const b = await startBackend((req, res) => {
    res.writeHead(200, { 'content-length': 100 });
    res.write('0123456789', () => setImmediate(() => req.socket.destroy()));
  });
  const h = await startRouter({}, [up('web.1', b.port)]);
  await assert.rejects(request(h.port));
  assert.match((await h.sink.waitLine(/H18/)).text, /^sock=backend at=error code=H18 desc="Server Request Interrupted" .* dyno=web\.1 .* status=503 bytes=10 /);
  await stillWorksThenClose(h, b);
});

test('H12: no first byte in time → 503; the dyno is not told, its late answer is drained and reported', async () => {
  let release: () => void = () => undefined;
  let dynoSawClose = false;
  const b = await startBackend((req, res) => {
    req.socket.on('close', () => (dynoSawClose = true));
    release = () => res.end('late');
  });
  const h = await startRouter({ timeoutMs: 150 }, [up('web.1', b.port)]);
  const r = await request(h.port, { path: '/slow' });
  assert.equal(r.status, 503);
  assert.match((await h.sink.waitLine(/H12/)).text, /^at=error code=H12 desc="Request timeout" method=GET path="\/slow" .* dyno=web\.1 connect=\d+ms service=1[5-9]\dms status=503 bytes=0 protocol=http$/);
  assert.equal(dynoSawClose, false, 'the dyno must not be told');
  release();
  const late = await h.sink.waitLine(/late answer/);
  assert.equal(late.source, 'dyno');
  assert.match(late.text, /web\.1 GET "\/slow" request_id=\S+ answered with status=200 after \d+ms/);
  assert.equal(dynoSawClose, false, 'the late answer was drained, the pooled connection kept');
  await stillWorksThenClose(h, b);
});

test('H15: the dyno goes silent after the first byte', async () => {
  const b = await startBackend((_req, res) => {
    res.writeHead(200);
    res.write('start');
  });
  const h = await startRouter({ idleTimeoutMs: 150 }, [up('web.1', b.port)]);
  await assert.rejects(request(h.port));
  assert.match((await h.sink.waitLine(/H15/)).text, /^at=error code=H15 desc="Idle connection" .* dyno=web\.1 .* status=503 bytes=5 /);
  await stillWorksThenClose(h, b);
});

test('H28: the client stops sending its body', async () => {
  let dynoSawClose = false;
  const b = await startBackend((req, res) => {
    req.on('close', () => (dynoSawClose = true));
    req.on('end', () => res.end());
  });
  const h = await startRouter({ idleTimeoutMs: 150 }, [up('web.1', b.port)]);
  const text = await rawExchange(h.port, 'POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-a-bit');
  assert.equal(text, '');
  assert.match((await h.sink.waitLine(/H28/)).text, /^sock=client at=warning code=H28 desc="Client Connection Idle" method=POST .* status=499 /);
  await waitFor(() => dynoSawClose, { what: 'the dyno request cancelled' });
  await stillWorksThenClose(h, b);
});

test('H27: the client aborts mid-upload; the dyno request is cancelled', async () => {
  let dynoSawClose = false;
  let gotBytes = false;
  const b = await startBackend((req) => {
    req.on('data', () => (gotBytes = true));
    req.on('close', () => (dynoSawClose = true));
  });
  const h = await startRouter({ idleTimeoutMs: 5000 }, [up('web.1', b.port)]);
  const socket = net.connect(h.port, '127.0.0.1');
  socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n' + 'a'.repeat(1000));
  await waitFor(() => gotBytes, { what: 'upload reaching the dyno' });
  socket.destroy();
  assert.match((await h.sink.waitLine(/H27/)).text, /^sock=client at=warning code=H27 desc="Client Request Interrupted" method=POST path="\/upload" .* dyno=web\.1 .* status=499 bytes=0 /);
  await waitFor(() => dynoSawClose, { what: 'the dyno request cancelled' });
  await stillWorksThenClose(h, b);
});

test('H27: the client aborts mid-download; the dyno stops being read', async () => {
  let dynoSawClose = false;
  const b = await startBackend((_req, res) => {
    res.on('close', () => (dynoSawClose = true));
    res.writeHead(200);
    res.write('x'.repeat(64 * 1024));
  });
  const h = await startRouter({ idleTimeoutMs: 5000 }, [up('web.1', b.port)]);
  await new Promise<void>((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: h.port, agent: false }, (res) => res.once('data', () => { req.destroy(); resolve(); }));
    req.on('error', () => undefined);
  });
  assert.match((await h.sink.waitLine(/H27/)).text, /code=H27 .* status=499 bytes=\d+ /);
  await waitFor(() => dynoSawClose, { what: 'the dyno response cancelled' });
  await stillWorksThenClose(h, b);
});

test('Expect: 100-continue is answered by the router and never reaches the dyno', async () => {
  let seenExpect: string | undefined = 'unset';
  const b = await startBackend((req, res) => {
    seenExpect = req.headers.expect;
    req.resume();
    req.on('end', () => res.end('uploaded'));
  });
  const h = await startRouter({}, [up('web.1', b.port)]);
  const text = await rawExchange(h.port, 'POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\nConnection: close\r\n\r\n', /^HTTP\/1\.1 100 Continue\r\n\r\n/);
  assert.match(text, /^HTTP\/1\.1 100 Continue/);
  const full = await rawExchange(h.port, 'POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody');
  assert.match(full, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK[\s\S]*uploaded$/);
  assert.equal(seenExpect, undefined);
  await stillWorksThenClose(h, b);
});

test('H26: any other Expect gets 417 and a Request Error line', async () => {
  const h = await startRouter({}, []);
  const text = await rawExchange(h.port, 'GET / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n');
  assert.match(text, /^HTTP\/1\.1 417 /);
  assert.match((await h.sink.waitLine(/H26/)).text, /^at=error code=H26 desc="Request Error" cause="unsupported expect header value" method=GET .* status=417 /);
  await stillWorksThenClose(h);
});

const tooBig: Array<[string, string]> = [
  ['a request line over 8192 bytes', `GET /${'a'.repeat(8200)} HTTP/1.1\r\nHost: x\r\n\r\n`],
  ['a header line over 8192 bytes', `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(8200)}\r\n\r\n`],
  ['a header name over 1000 bytes', `GET / HTTP/1.1\r\nHost: x\r\n${'n'.repeat(1001)}: v\r\n\r\n`],
  ['more than 1000 headers', `GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 1001 }, (_, i) => `x-h${i}: v\r\n`).join('')}\r\n`],
  ['headers beyond node\'s total limit', `GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 1100 }, (_, i) => `x-h${i}: ${'v'.repeat(8000)}\r\n`).join('')}\r\n`],
];
for (const [name, raw] of tooBig) {
  test(`400: ${name}`, async () => {
    let reached = false;
    const b = await startBackend((_req, res) => {
      reached = true;
      res.end();
    });
    const h = await startRouter({}, [up('web.1', b.port)]);
    const text = await rawExchange(h.port, raw, /\r\n\r\n/);
    assert.match(text, /^HTTP\/1\.1 400 /);
    assert.equal(reached, false, 'the dyno never sees it');
    await stillWorksThenClose(h, b);
  });
}

test('a 400 is closed with a linger: a client still sending reads the whole response, never a reset', async () => {
  const b = await startBackend((_req, res) => res.end());
  const h = await startRouter({}, [up('web.1', b.port)]);
  let answered: net.Socket | undefined;
  (h.router as unknown as { server: http.Server }).server.on('clientError', (_e: Error, sock: net.Socket) => (answered ??= sock));
  const s = net.connect(h.port, '127.0.0.1');
  const errors: string[] = [];
  s.on('error', (e: NodeJS.ErrnoException) => errors.push(e.code ?? e.message));
  s.pause(); // the client is busy uploading and reads only later: the 400 waits in its receive queue
  const head = `GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 1100 }, (_, i) => `x-h${i}: ${'v'.repeat(8000)}\r\n`).join('')}`;
  const late = `x-late: ${'v'.repeat(100_000)}\r\n`;
  s.write(head);
  const sock = await waitFor(() => answered, { what: 'the router rejects the head' });
  s.write(late);
  await waitFor(() => sock.destroyed || sock.bytesRead >= head.length + late.length, { what: 'the router drains or drops the rest' });
  const closed = new Promise((r) => s.once('close', r));
  let text = '';
  s.on('data', (c: Buffer) => (text += c.toString('latin1')));
  s.resume();
  s.end();
  await closed;
  assert.match(text, /^HTTP\/1\.1 400 /);
  assert.deepEqual(errors, [], 'no reset: the router read what the client still sent before closing');
  await stillWorksThenClose(h, b);
});

test('random balancing spreads requests over the up dynos only', async () => {
  const hits = new Map<string, number>();
  const mk = (name: string) => startBackend((_req, res) => {
    hits.set(name, (hits.get(name) ?? 0) + 1);
    res.end(name);
  });
  const [a, b2, c] = await Promise.all([mk('a'), mk('b'), mk('c')]);
  const h = await startRouter({}, [up('web.1', a.port), { name: 'web.2', port: b2.port, state: 'starting' }, up('web.3', c.port)]);
  for (let i = 0; i < 60; i++) await request(h.port);
  assert.equal(hits.get('b'), undefined, 'a starting dyno gets no traffic');
  assert.ok((hits.get('a') ?? 0) > 5 && (hits.get('c') ?? 0) > 5, `both up dynos used: ${[...hits]}`);
  await stillWorksThenClose(h, a, b2, c);
});

test('listen on a taken port is PORT_IN_USE naming the port', async () => {
  const b = await startBackend((_req, res) => res.end());
  const { Router } = await import('../../../src/router/router.js');
  const r = new Router({ port: b.port, bus: { publish: () => undefined } });
  await assert.rejects(r.listen(), (err: { code?: string; message?: string }) => err.code === 'PORT_IN_USE' && (err.message ?? '').includes(String(b.port)));
  await r.close().catch(() => undefined);
  await b.close();
});
