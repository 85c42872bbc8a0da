import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { waitFor } from '../../helpers/wait-for.js';
import { rawExchange, request, startBackend, startRouter, up } from './router-harness.js';

const UPGRADE = 'GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

// A dyno that accepts any upgrade and echoes bytes back upper-cased.
async function echoDyno(seen: { headers?: http.IncomingHttpHeaders }) {
  const b = await startBackend((_req, res) => res.end('plain'));
  b.server.on('upgrade', (req, socket) => {
    seen.headers = req.headers;
    socket.on('error', () => undefined);
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nhello');
    socket.on('data', (c: Buffer) => socket.write(c.toString().toUpperCase()));
    socket.on('end', () => socket.end());
  });
  return b;
}

test('a WebSocket upgrade passes through: 101, bytes both ways, one 101 line when it closes', async () => {
  const seen: { headers?: http.IncomingHttpHeaders } = {};
  const b = await echoDyno(seen);
  const h = await startRouter({ idleTimeoutMs: 5000 }, [up('web.1', b.port)]);
  const socket = net.connect(h.port, '127.0.0.1');
  let text = '';
  socket.on('data', (c) => (text += c));
  socket.write(UPGRADE);
  await waitFor(() => text.includes('hello'), { what: 'the 101 and the greeting' });
  assert.match(text, /^HTTP\/1\.1 101 Switching Protocols\r\n/);
  socket.write('ping');
  await waitFor(() => text.endsWith('PING'), { what: 'the echo' });
  assert.equal(h.sink.router().length, 0, 'nothing logged while open');
  assert.equal(seen.headers?.upgrade, 'websocket');
  assert.equal(seen.headers?.via, '1.1 vegur');
  assert.match(String(seen.headers?.['x-request-id']), /^[0-9a-f-]{36}$/);
  socket.end();
  const line = await h.sink.waitLine(/status=101/);
  assert.match(line.text, /^at=info method=GET path="\/chat" .* dyno=web\.1 connect=\d+ms service=\d+ms status=101 bytes=9 protocol=http$/);
  assert.equal(h.sink.router().length, 1, 'exactly one line');
  assert.equal((await request(h.port)).body, 'plain');
  await h.router.close();
  await b.close();
});

test('an upgrade with no web dyno gets H14 and the socket is closed', async () => {
  const h = await startRouter({}, []);
  const text = await rawExchange(h.port, UPGRADE);
  assert.match(text, /^HTTP\/1\.1 503 /);
  assert.match((await h.sink.waitLine(/H14/)).text, /code=H14 .* status=503 /);
  await h.router.close();
});

test('an upgrade refused by the dyno is H21; a dyno answering 400 passes the response through', async () => {
  const b = await startBackend((_req, res) => res.end('plain'));
  b.server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 3\r\n\r\nno!'));
  const dead = net.createServer();
  await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
  const deadPort = (dead.address() as net.AddressInfo).port;
  await new Promise((r) => dead.close(r));
  const h = await startRouter({}, [up('web.1', deadPort)]);
  assert.match(await rawExchange(h.port, UPGRADE), /^HTTP\/1\.1 503 /);
  assert.match((await h.sink.waitLine(/H21/)).text, /code=H21 /);
  h.router.update([up('web.1', b.port)]);
  const refused = await rawExchange(h.port, UPGRADE);
  assert.match(refused, /^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*\r\n\r\nno!$/);
  assert.match((await h.sink.waitLine(/status=400/)).text, /bytes=3 /);
  await h.router.close();
  await b.close();
});

test('a silent WebSocket is closed after the idle window with H15', async () => {
  const b = await echoDyno({});
  const h = await startRouter({ idleTimeoutMs: 150 }, [up('web.1', b.port)]);
  const text = await rawExchange(h.port, UPGRADE);
  assert.match(text, /^HTTP\/1\.1 101 /);
  assert.match((await h.sink.waitLine(/H15/)).text, /code=H15 .* bytes=5 /);
  await h.router.close();
  await b.close();
});

test('a WebSocket open when the router closes is torn down without a crash', async () => {
  const b = await echoDyno({});
  const h = await startRouter({ idleTimeoutMs: 5000 }, [up('web.1', b.port)]);
  const socket = net.connect(h.port, '127.0.0.1');
  let text = '';
  let closed = false;
  socket.on('data', (c) => (text += c));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  socket.write(UPGRADE);
  await waitFor(() => text.includes('hello'));
  await h.router.close();
  await waitFor(() => closed, { what: 'client socket closed' });
  await b.close();
});
