import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { waitForReadiness } from '../../../src/supervisor/readiness.js';
import { freePort } from './harness.js';

test('readiness is up as soon as the port accepts a connection, even if it binds late', async () => {
  const port = await freePort();
  const server = net.createServer((s) => s.destroy());
  const bindLater = setTimeout(() => server.listen(port, '127.0.0.1'), 100);
  const started = Date.now();
  try {
    assert.equal(await waitForReadiness({ port, timeoutMs: 5000, intervalMs: 10 }), 'up');
    assert.ok(Date.now() - started >= 90, 'not up before the bind');
  } finally {
    clearTimeout(bindLater);
    server.close();
  }
});

test('readiness times out (R10) when nothing ever listens', async () => {
  const port = await freePort();
  const started = Date.now();
  assert.equal(await waitForReadiness({ port, timeoutMs: 150 }), 'timeout');
  assert.ok(Date.now() - started >= 140);
});

test('readiness stops probing when aborted (the child exited)', async () => {
  const port = await freePort();
  const abort = new AbortController();
  const result = waitForReadiness({ port, timeoutMs: 60_000, signal: abort.signal });
  setImmediate(() => abort.abort());
  assert.equal(await result, 'aborted');
});
