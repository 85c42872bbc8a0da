// Upgrades time out like requests (HEROKU.md §3.1, §3.7): no answer within the router timeout is H12;
// after the 101 only the idle window applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { waitFor } from '../../helpers/wait-for.js';
import { FakeClock, rawExchange, startBackend, startRouter, up } from './router-harness.js';

const UPGRADE = 'GET /chat HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

// A dyno that takes upgrade requests and never answers them; it records when the router closes the socket.
async function silentDyno() {
  const state = { upgrades: 0, closed: 0 };
  const b = await startBackend((_req, res) => res.end('plain'));
  b.server.on('upgrade', (_req, socket) => {
    state.upgrades++;
    socket.on('error', () => undefined);
    socket.on('end', () => {
      state.closed++; // the router closed its side
      socket.end();
    });
  });
  return { b, state };
}

test('an upgrade the dyno never answers gets 503 + H12 after the router timeout, and the dyno socket is closed', async () => {
  const { b, state } = await silentDyno();
  const h = await startRouter({ timeoutMs: 150, idleTimeoutMs: 5000 }, [up('web.1', b.port)]);
  const started = Date.now();
  const text = await rawExchange(h.port, UPGRADE);
  assert.ok(Date.now() - started >= 140, 'not before the timeout');
  assert.match(text, /^HTTP\/1\.1 503 [\s\S]*H12 Request timeout/);
  assert.match((await h.sink.waitLine(/H12/)).text, /^at=error code=H12 desc="Request timeout" method=GET path="\/chat" .* dyno=web\.1 connect=\d+ms service=1[5-9]\dms status=503 bytes=0 protocol=http$/);
  await waitFor(() => state.closed === 1, { what: 'the dyno socket closed' });
  assert.equal(h.sink.router().length, 1, 'one line');
  await h.router.close();
  await b.close();
});

test('the upgrade timeout is the router timeout: nothing at 29.999 s, H12 at 30 s, no timer left', async () => {
  const clock = new FakeClock();
  const { b, state } = await silentDyno();
  const h = await startRouter({ clock, timeoutMs: undefined, idleTimeoutMs: undefined }, [up('web.1', b.port)]);
  const reply = rawExchange(h.port, UPGRADE);
  await waitFor(() => state.upgrades === 1 && clock.dueIn().includes(30_000), { what: 'the upgrade at the dyno and a 30 s timer armed' });
  clock.advance(29_999);
  assert.equal(h.sink.lines.length, 0, 'no H12 before 30 s');
  clock.advance(1);
  assert.match(await reply, /^HTTP\/1\.1 503 /);
  assert.match((await h.sink.waitLine(/H12/)).text, /code=H12 .* service=30000ms status=503 bytes=0 /);
  await waitFor(() => state.closed === 1, { what: 'the dyno socket closed' });
  await h.router.close();
  await b.close();
  assert.equal(clock.dueIn().length, 0, 'no timer left behind');
});

test('after the 101 the router timeout no longer applies: a WebSocket with traffic outlives it', async () => {
  const b = await startBackend((_req, res) => res.end('plain'));
  b.server.on('upgrade', (_req, socket) => {
    socket.on('error', () => undefined);
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    socket.on('data', (c: Buffer) => socket.write(c.toString().toUpperCase()));
    socket.on('end', () => socket.end());
  });
  const h = await startRouter({ timeoutMs: 100, idleTimeoutMs: 5000 }, [up('web.1', b.port)]);
  const socket = net.connect(h.port, '127.0.0.1');
  let text = '';
  socket.on('data', (c) => (text += c));
  socket.write(UPGRADE);
  await waitFor(() => text.startsWith('HTTP/1.1 101'), { what: 'the 101' });
  const until = Date.now() + 400; // four router timeouts of traffic
  for (let i = 0; Date.now() < until; i++) {
    socket.write(`m${i};`);
    await waitFor(() => text.endsWith(`M${i};`), { what: `echo ${i}` });
  }
  assert.equal(h.sink.router().length, 0, 'no H12, still open');
  socket.end();
  assert.match((await h.sink.waitLine(/status=101/)).text, /^at=info .* status=101 /);
  await h.router.close();
  await b.close();
});
