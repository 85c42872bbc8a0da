import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { Socket } from 'node:net';
import { waitFor } from '../../helpers/wait-for.js';
import { request, startRouter, up } from './router-harness.js';
import { keepAliveHintMs } from '../../../src/router/dyno-pool.js';

// A dyno counting its connections, with the given keep-alive timeout (node announces it as Keep-Alive: timeout=N).
async function countingDyno(keepAliveTimeoutMs: number, handler: http.RequestListener = (_q, r) => r.end('ok')): Promise<{ port: number; connections: Socket[]; close(): Promise<void> }> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = keepAliveTimeoutMs;
  const connections: Socket[] = [];
  server.on('connection', (s: Socket) => connections.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    connections,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

test('sequential requests to a dyno reuse one pooled connection', async () => {
  const d = await countingDyno(95_000);
  const h = await startRouter({}, [up('web.1', d.port)]);
  for (let i = 0; i < 5; i++) assert.equal((await request(h.port)).status, 200);
  assert.equal(d.connections.length, 1);
  await h.router.close();
  await d.close();
});

test('a Connection: close response is not pooled: the next request opens a new connection', async () => {
  const d = await countingDyno(95_000, (_q, r) => { r.setHeader('connection', 'close'); r.end('bye'); });
  const h = await startRouter({}, [up('web.1', d.port)]);
  assert.equal((await request(h.port)).status, 200);
  assert.equal((await request(h.port)).status, 200);
  assert.equal(d.connections.length, 2);
  await h.router.close();
  await d.close();
});

test("an idle pooled connection closes 1 s before the dyno's Keep-Alive timeout", async () => {
  const d = await countingDyno(2_000); // Keep-Alive: timeout=2 → the router lets go after 1 s
  const h = await startRouter({}, [up('web.1', d.port)]);
  assert.equal((await request(h.port)).status, 200);
  const started = Date.now();
  await waitFor(() => d.connections[0]!.destroyed || d.connections[0]!.readableEnded, { what: 'the router closing the idle connection', timeoutMs: 1900 });
  assert.ok(Date.now() - started >= 800, 'not before the hint says');
  assert.equal((await request(h.port)).status, 200);
  assert.equal(d.connections.length, 2);
  await h.router.close();
  await d.close();
});

const hints: Array<[string[], number | undefined]> = [
  [['Keep-Alive', 'timeout=5'], 5000],
  [['keep-alive', 'timeout=5, max=100'], 5000],
  [['Keep-Alive', 'max=100, timeout=7'], 7000],
  [['Keep-Alive', 'max=100'], undefined],
  [['Keep-Alive', 'xtimeout=5'], undefined],
  [['Content-Length', '5'], undefined],
  [[], undefined],
];
for (const [raw, want] of hints) test(`keep-alive hint: ${JSON.stringify(raw)} → ${want}`, () => assert.equal(keepAliveHintMs(raw), want));
