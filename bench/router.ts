// Router overhead: autocannon (50 connections, keep-alive, ~5 s) directly against a trivial node:http
// dyno, then through the Router, in the same run. Targets (issue 4): ratio ≥ 0.18, added p50 ≤ 3 ms, 0 errors.
// Run: node --import tsx bench/router.ts   (each of dyno, router and load generator is its own process)
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Router } from '../src/router/router.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

/** One autocannon run. */
export interface LoadResult {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** The comparison. */
export interface Result {
  direct: LoadResult;
  router: LoadResult;
  ratio: number;
  addedP50Ms: number;
  ok: boolean;
}

const UPSTREAM = `const http=require('http');const s=http.createServer((q,r)=>r.end('hello world\\n'));s.keepAliveTimeout=95000;s.listen(0,'127.0.0.1',()=>console.log('PORT '+s.address().port))`;

// Start a process that prints "PORT <n>" once listening.
function startListening(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`bench process exited early (${code})`)));
  });
}

// Run the autocannon CLI against a URL and read its JSON summary.
function load(url: string, seconds: number): Promise<LoadResult> {
  const bin = path.join(root, 'node_modules/autocannon/autocannon.js');
  const child = spawn(process.execPath, [bin, '-c', '50', '-d', String(seconds), '-j', url], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  return new Promise((resolve, reject) => {
    child.once('exit', () => {
      try {
        const j = JSON.parse(out) as { requests: { average: number }; latency: { p50: number; p99: number }; errors: number; timeouts: number; non2xx: number };
        resolve({ reqPerSec: j.requests.average, p50Ms: j.latency.p50, p99Ms: j.latency.p99, errors: j.errors + j.timeouts, non2xx: j.non2xx });
      } catch (err) {
        reject(err);
      }
    });
  });
}

/** Measure direct vs routed throughput and latency. */
export async function benchRouter(seconds = 5): Promise<Result> {
  const upstream = await startListening(['-e', UPSTREAM]);
  const router = await startListening(['--import', 'tsx', path.join(here, 'router.ts'), '--serve', String(upstream.port)]);
  try {
    await load(`http://127.0.0.1:${router.port}/`, 1); // JIT warm-up of the router (and the upstream)
    const direct = await load(`http://127.0.0.1:${upstream.port}/`, seconds);
    const routed = await load(`http://127.0.0.1:${router.port}/`, seconds);
    const ratio = routed.reqPerSec / direct.reqPerSec;
    const addedP50Ms = routed.p50Ms - direct.p50Ms;
    const ok = ratio >= 0.18 && addedP50Ms <= 3 && routed.errors + routed.non2xx === 0;
    return { direct, router: routed, ratio, addedP50Ms, ok };
  } finally {
    upstream.child.kill();
    router.child.kill();
  }
}

// Child mode: a Router in front of the upstream, formatting every line and discarding it.
async function serve(upstreamPort: number): Promise<void> {
  let lines = 0;
  const router = new Router({ port: 0, bus: { publish: () => void lines++ } });
  router.update([{ name: 'web.1', port: upstreamPort, state: 'up' }]);
  const { port } = await router.listen();
  process.stdout.write(`PORT ${port}\n`);
  process.once('SIGTERM', () => void router.close().then(() => process.exit(0)));
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt > 0) {
  void serve(Number(process.argv[serveAt + 1]));
} else if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void benchRouter().then((r) => {
    const f = (x: LoadResult): string => `${Math.round(x.reqPerSec)} req/s, p50 ${x.p50Ms} ms, p99 ${x.p99Ms} ms, errors ${x.errors}, non-2xx ${x.non2xx}`;
    process.stdout.write(`direct: ${f(r.direct)}\nrouter: ${f(r.router)}\nratio ${r.ratio.toFixed(3)} (target ≥ 0.18), added p50 ${r.addedP50Ms} ms (target ≤ 3), ${r.ok ? 'OK' : 'BELOW TARGET'}\n`);
  });
}
