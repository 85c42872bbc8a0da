import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../helpers/wait-for.js';
import { FakeClock, request, startBackend, startRouter, up } from './router-harness.js';

test('the default first-byte cutoff is 30 s: nothing at 29.999 s, H12 with service=30000ms at 30 s', async () => {
  const clock = new FakeClock();
  let answer: (() => void) | undefined;
  const b = await startBackend((_req, res) => (answer = () => res.end('late')));
  const h = await startRouter({ clock, timeoutMs: undefined }, [up('web.1', b.port)]);
  const reply = request(h.port);
  await waitFor(() => answer && clock.dueIn().includes(30_000), { what: 'the request at the dyno and a 30 s timer armed' });
  clock.advance(29_999);
  assert.equal(h.sink.lines.length, 0, 'no H12 before 30 s');
  clock.advance(1);
  assert.match((await h.sink.waitLine(/H12/)).text, /code=H12 .* connect=0ms service=30000ms status=503 bytes=0 /);
  assert.equal((await reply).status, 503);
  clock.advance(4_000);
  answer?.();
  assert.match((await h.sink.waitLine(/late answer/)).text, /answered with status=200 after 34000ms; the client already got H12 \(503\) at 30000ms/);
  await h.router.close();
  await b.close();
  assert.equal(clock.dueIn().length, 0, 'no timer left behind');
});

test('the default boot wait is 75 s', async () => {
  const clock = new FakeClock();
  const h = await startRouter({ clock, idleTimeoutMs: undefined, bootWaitMs: undefined }, [{ name: 'web.1', port: 1, state: 'starting' }]);
  const reply = request(h.port);
  await waitFor(() => h.router.waiting === 1, { what: 'the request parked' });
  assert.deepEqual(clock.dueIn(), [75_000]);
  clock.advance(74_999);
  assert.equal(h.sink.lines.length, 0);
  clock.advance(1);
  assert.equal((await reply).status, 503);
  assert.match((await h.sink.waitLine(/H20/)).text, /code=H20 /);
  await h.router.close();
});

test('the default idle window after the first byte is 55 s', async () => {
  const clock = new FakeClock();
  let wrote = false;
  const b = await startBackend((_req, res) => {
    res.writeHead(200);
    res.write('first', () => (wrote = true));
  });
  const h = await startRouter({ clock, idleTimeoutMs: undefined }, [up('web.1', b.port)]);
  const reply = request(h.port).catch((err: Error) => err);
  await waitFor(() => wrote && clock.dueIn().includes(55_000), { what: 'the first byte relayed and the window armed' });
  clock.advance(54_999);
  assert.equal(h.sink.lines.length, 0);
  clock.advance(1);
  assert.match((await h.sink.waitLine(/H15/)).text, /code=H15 .* service=55000ms status=503 bytes=5 /);
  assert.ok((await reply) instanceof Error, 'the client connection is cut');
  await h.router.close();
  await b.close();
});
