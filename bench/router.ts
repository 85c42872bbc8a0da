// Router overhead: autocannon (50 connections, keep-alive, ~5 s) against a trivial node:http dyno directly,
// through a bare http-proxy 1.18.1 with a keep-alive agent (the library's own cost), and through dyno's
// Router, in the same run. Targets (issue 4): router/direct ≥ 0.18, added p50 ≤ 3 ms, 0 errors.
// Run: node --import tsx bench/router.ts [--rounds N]   (dyno, proxies and load generator are separate processes;
// the Router child runs esbuild-bundled code, as `dyno start` does, so tsx's loader is not measured)
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

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
  /** A bare http-proxy with a keep-alive agent: what the library alone costs. */
  bare: LoadResult;
  router: LoadResult;
  /** router / direct throughput. */
  ratio: number;
  /** bare http-proxy / direct throughput. */
  bareRatio: number;
  addedP50Ms: number;
  ok: boolean;
}

const UPSTREAM = `const http=require('http');const s=http.createServer((q,r)=>r.end('hello world\\n'));s.keepAliveTimeout=95000;s.listen(0,'127.0.0.1',()=>console.log('PORT '+s.address().port))`;

// NODE-NOTES §5's baseline: http-proxy with a keep-alive agent and an error listener, nothing else.
const BARE_PROXY = `const http=require('http');const hp=require('http-proxy');
const proxy=hp.createProxyServer({target:'http://127.0.0.1:'+process.argv[1],agent:new http.Agent({keepAlive:true})});
proxy.on('error',(e,q,r)=>{if(r.writeHead&&!r.headersSent){r.writeHead(503);r.end()}else r.destroy()});
const s=http.createServer((q,r)=>proxy.web(q,r));s.listen(0,'127.0.0.1',()=>console.log('PORT '+s.address().port))`;

// The Router child: a Router in front of the upstream, formatting every line and discarding it.
const ROUTER_CHILD = `import { Router } from './src/router/router.ts';
const router = new Router({ port: 0, bus: { publish: () => undefined } });
router.update([{ name: 'web.1', port: Number(process.argv[2]), state: 'up' }]);
router.listen().then(({ port }) => process.stdout.write('PORT ' + port + '\\n'));
process.once('SIGTERM', () => void router.close().then(() => process.exit(0)));`;

// Bundle the Router child the way dist/dyno.cjs is built (esbuild, CJS, node20).
function bundleRouterChild(): string {
  const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-bench-')), 'router.cjs');
  buildSync({
    stdin: { contents: ROUTER_CHILD, resolveDir: root, loader: 'ts', sourcefile: 'bench-router-child.ts' },
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, logLevel: 'warning',
  });
  return outfile;
}

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

// Run the autocannon CLI against a port and read its JSON summary.
function load(port: number, seconds: number): Promise<LoadResult> {
  const bin = path.join(root, 'node_modules/autocannon/autocannon.js');
  const url = `http://127.0.0.1:${port}/`;
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

/** Measure direct, bare http-proxy and Router throughput and latency. */
export async function benchRouter(seconds = 5): Promise<Result> {
  const upstream = await startListening(['-e', UPSTREAM]);
  const children = [upstream.child];
  try {
    const bareProxy = await startListening(['-e', BARE_PROXY, String(upstream.port)]);
    children.push(bareProxy.child);
    const bundle = bundleRouterChild();
    const router = await startListening([bundle, String(upstream.port)]);
    children.push(router.child);
    fs.rmSync(path.dirname(bundle), { recursive: true, force: true }); // loaded; the file is no longer needed
    await load(bareProxy.port, 1); // JIT warm-up of both proxies (and the upstream)
    await load(router.port, 1);
    const direct = await load(upstream.port, seconds);
    const bare = await load(bareProxy.port, seconds);
    const routed = await load(router.port, seconds);
    const ratio = routed.reqPerSec / direct.reqPerSec;
    const addedP50Ms = routed.p50Ms - direct.p50Ms;
    const ok = ratio >= 0.18 && addedP50Ms <= 3 && routed.errors + routed.non2xx === 0;
    return { direct, bare, router: routed, ratio, bareRatio: bare.reqPerSec / direct.reqPerSec, addedP50Ms, ok };
  } finally {
    for (const child of children) child.kill();
  }
}

// One result as text, a column per target.
function describe(r: Result): string {
  const f = (x: LoadResult): string => `${Math.round(x.reqPerSec)} req/s, p50 ${x.p50Ms} ms, p99 ${x.p99Ms} ms, errors ${x.errors}, non-2xx ${x.non2xx}`;
  return [
    `direct:     ${f(r.direct)}`,
    `http-proxy: ${f(r.bare)}  (ratio ${r.bareRatio.toFixed(3)})`,
    `router:     ${f(r.router)}  (ratio ${r.ratio.toFixed(3)})`,
    `router ratio ${r.ratio.toFixed(3)} (target ≥ 0.18; bare http-proxy ${r.bareRatio.toFixed(3)}), added p50 ${r.addedP50Ms} ms (target ≤ 3), ${r.ok ? 'OK' : 'BELOW TARGET'}`,
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--rounds');
  const rounds = at > 0 ? Number(process.argv[at + 1]) : 1;
  void (async () => {
    for (let i = 1; i <= rounds; i++) process.stdout.write(`${rounds > 1 ? `round ${i}\n` : ''}${describe(await benchRouter())}\n`);
  })();
}
