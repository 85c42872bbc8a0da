import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { basePortFor } from '../../helpers/fixture.js';
import { waitFor } from '../../helpers/wait-for.js';
import { assertNoSurvivors, uniqueMarker } from '../../helpers/survivors.js';
import { projectRoot } from '../../helpers/run-dyno.js';
import { rawExchange, request, startBackend, startRouter, up, type Reply } from './router-harness.js';

test('1,000 concurrent connections are all served and logged', async () => {
  const b = await startBackend((_req, res) => res.end('ok'));
  const h = await startRouter({ timeoutMs: 20_000 }, [up('web.1', b.port)]);
  const replies = await Promise.all(Array.from({ length: 1000 }, () => request(h.port)));
  assert.deepEqual(new Set(replies.map((r) => r.status)), new Set([200]));
  assert.equal(h.sink.router().filter((l) => l.startsWith('at=info') && l.includes('status=200')).length, 1000);
  assert.equal((await request(h.port)).body, 'ok');
  await h.router.close();
  await b.close();
});

test('a slow client gets the whole response with backpressure, no idle error', async () => {
  const size = 4 * 1024 * 1024;
  let backpressured = false;
  const b = await startBackend((_req, res) => {
    res.writeHead(200, { 'content-length': size });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const pump = (): void => {
      while (sent < size) {
        sent += chunk.length;
        if (!res.write(chunk)) {
          backpressured = true;
          return void res.once('drain', pump);
        }
      }
      res.end();
    };
    pump();
  });
  const h = await startRouter({ idleTimeoutMs: 3000 }, [up('web.1', b.port)]);
  const received = await new Promise<number>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: h.port, agent: false }, (res) => {
      let n = 0;
      res.pause();
      waitFor(() => backpressured, { what: 'the dyno feeling backpressure' }).then(() => {
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => resolve(n));
        res.resume();
      }, reject);
    }).on('error', reject);
  });
  assert.equal(received, size);
  assert.match((await h.sink.waitLine(/at=info/)).text, new RegExp(`status=200 bytes=${size} `));
  await h.router.close();
  await b.close();
});

// Spawn the web-hello fixture on `port`; resolves once it prints READY.
async function spawnWeb(port: number, marker: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'test/fixtures/bin/web-hello.js'), marker], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  await waitFor(() => out.includes('READY'), { timeoutMs: 15_000, what: 'web-hello READY' }); // a node start-up, slow on a loaded machine
  return child;
}

test('a web dyno crashing and restarting under load: every request answered, traffic returns to it', async () => {
  const marker = uniqueMarker('router-restart');
  // A port of this test's own range (below the ephemeral range, locked across test processes).
  const [p1, p2] = [basePortFor(301), 0];
  const web2 = await startBackend((_req, res) => res.end('web2'), p2);
  let web1: ChildProcess | undefined;
  let h: Awaited<ReturnType<typeof startRouter>> | undefined;
  const replies: Array<Reply | Error> = [];
  let stop = false;
  let load: Array<Promise<void>> = [];
  try {
    web1 = await spawnWeb(p1, marker);
    const router = await startRouter({ timeoutMs: 5000 }, [up('web.1', p1), up('web.2', web2.port)]);
    h = router;
    load = Array.from({ length: 20 }, async () => {
      while (!stop) replies.push(await request(router.port).catch((err: Error) => err));
    });
    await waitFor(() => replies.length > 200, { what: 'load running' });
    const crashed = web1;
    crashed.kill('SIGKILL');
    await new Promise((r) => crashed.once('exit', r));
    const atCrash = replies.length;
    await waitFor(() => replies.length > atCrash + 200, { what: 'load continuing on web.2' });
    router.router.update([{ name: 'web.1', port: p1, state: 'crashed' }, up('web.2', web2.port)]);
    web1 = await spawnWeb(p1, marker);
    router.router.update([up('web.1', p1), up('web.2', web2.port)]);
    const atRestart = replies.length;
    await waitFor(() => replies.slice(atRestart).some((r) => !(r instanceof Error) && r.body.startsWith('hello')), { what: 'web.1 serving again' });
    stop = true;
    await Promise.all(load);
    assert.equal(replies.filter((r) => r instanceof Error).length, 0, 'the router answered every request');
    const statuses = new Set(replies.map((r) => (r as Reply).status));
    assert.ok([...statuses].every((s) => s === 200 || s === 503), `only 200 or 503: ${[...statuses]}`);
    assert.ok(replies.filter((r) => (r as Reply).status === 503).length <= 20, 'at most the in-flight requests failed (H13/H18)');
  } finally {
    // Whatever failed, the load loops end and everything started is closed: the test file must exit.
    stop = true;
    await Promise.all(load);
    web1?.kill('SIGTERM');
    await h?.router.close();
    await web2.close();
    await assertNoSurvivors(marker);
  }
});

// A tiny seeded PRNG (mulberry32) so a fuzz failure is reproducible.
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS = [
  'GET / HTTP/1.1\r\nHost: x\r\n\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
  'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
  'GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc',
];

// Mutate a valid request: flip, insert, delete or duplicate bytes; sometimes pure noise.
function mutate(rand: () => number): Buffer {
  const base = Buffer.from(SEEDS[Math.floor(rand() * SEEDS.length)]!);
  if (rand() < 0.1) return Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)));
  const bytes = [...base];
  for (let i = 0, n = 1 + Math.floor(rand() * 6); i < n; i++) {
    const at = Math.floor(rand() * bytes.length);
    const op = rand();
    if (op < 0.4) bytes[at] = Math.floor(rand() * 256);
    else if (op < 0.6) bytes.splice(at, 1);
    else if (op < 0.8) bytes.splice(at, 0, ...[0, 10, 13, 32, 58, 34][Math.floor(rand() * 6)]!.toString().split('').map(Number));
    else bytes.splice(at, 0, ...bytes.slice(at, at + Math.floor(rand() * 20)));
  }
  return Buffer.from(bytes);
}

test('fuzz: 300 seeded malformed requests never crash the router, and a good request still works', async () => {
  const b = await startBackend((req, res) => {
    req.resume();
    req.on('end', () => res.end('fine'));
  });
  b.server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
  const h = await startRouter({ timeoutMs: 500, idleTimeoutMs: 500 }, [up('web.1', b.port)]);
  const rand = prng(20120811);
  const batch: Array<Promise<string>> = [];
  for (let i = 0; i < 300; i++) batch.push(rawExchange(h.port, mutate(rand), undefined, true));
  const answers = await Promise.all(batch);
  assert.ok(answers.some((a) => a.startsWith('HTTP/1.1 400')), 'some were rejected with 400');
  assert.ok(answers.every((a) => a === '' || a.startsWith('HTTP/1.1 ')), 'answers are HTTP or nothing');
  assert.equal((await request(h.port)).body, 'fine');
  await h.router.close();
  await b.close();
});
