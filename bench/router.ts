// Router speed: autocannon (keep-alive) against a trivial node:http dyno directly, through a bare http-proxy 1.18.1
// with a keep-alive agent, and through dyno's Router — in the same run, at 50 and at 200 connections, over
// interleaved rounds (the order rotates each round). Targets (issue 13): router rps ≥ 1.1× the bare http-proxy and
// router p99 ≤ its p99, on the median of the per-round values, with router log lines on, 0 errors.
// Run: node --import tsx bench/router.ts [--rounds N] [--seconds S] [--connections 50,200] [--prof dir]
// (dyno, proxies and load generator are separate processes; the Router child runs esbuild-bundled code, as
// `dyno start` does, so tsx's loader is not measured; --prof writes a `node --cpu-prof` profile of the Router child).
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
  /** CPU time (user + system) the measured process spent per request, in µs: robust when other load shares the cores. */
  cpuUsPerReq: number;
}

/** One round at one connection count: the three targets measured back to back. */
export interface Round {
  direct: LoadResult;
  bare: LoadResult;
  router: LoadResult;
}

/** Everything measured at one connection count. */
export interface Level {
  connections: number;
  rounds: Round[];
  /** Medians over the rounds, per target and per field. */
  direct: LoadResult;
  bare: LoadResult;
  router: LoadResult;
  /** Median of the per-round router/bare rps ratios (target ≥ 1.1). */
  routerVsBare: number;
  /** Median of the per-round router/direct and bare/direct rps ratios. */
  routerVsDirect: number;
  bareVsDirect: number;
  ok: boolean;
}

/** The comparison; the top-level fields are the 50-connection level's (what `npm run bench` prints). */
export interface Result {
  levels: Level[];
  direct: LoadResult;
  bare: LoadResult;
  router: LoadResult;
  /** router / direct throughput. */
  ratio: number;
  /** bare http-proxy / direct throughput. */
  bareRatio: number;
  /** router / bare http-proxy throughput. */
  vsBare: number;
  addedP50Ms: number;
  ok: boolean;
}

/** Issue 13's targets. */
export const TARGET_VS_BARE = 1.1;

const UPSTREAM = `const http=require('http');const s=http.createServer((q,r)=>r.end('hello world\\n'));s.keepAliveTimeout=95000;s.listen(0,'127.0.0.1',()=>console.log('PORT '+s.address().port))`;

// NODE-NOTES §5's baseline: http-proxy with a keep-alive agent and an error listener, nothing else.
const BARE_PROXY = `const http=require('http');const hp=require('http-proxy');
const proxy=hp.createProxyServer({target:'http://127.0.0.1:'+process.argv[1],agent:new http.Agent({keepAlive:true})});
proxy.on('error',(e,q,r)=>{if(r.writeHead&&!r.headersSent){r.writeHead(503);r.end()}else r.destroy()});
const s=http.createServer((q,r)=>proxy.web(q,r));s.listen(0,'127.0.0.1',()=>console.log('PORT '+s.address().port))`;

// The Router child: a Router in front of the upstream, its lines published to a real LogBus (the 1500-line
// history dyno keeps) and read by a subscriber, as the printer would: every line is fully built.
const ROUTER_CHILD = `import { Router } from './src/router/router.ts';
import { LogBus } from './src/logs/log-bus.ts';
const bus = new LogBus();
let chars = 0;
bus.subscribe((line) => { chars += line.text.length; });
const router = new Router({ port: 0, bus });
router.update([{ name: 'web.1', port: Number(process.argv[2]), state: 'up' }]);
router.listen().then(({ port }) => process.stdout.write('PORT ' + port + '\\n'));
process.once('SIGTERM', () => void router.close().then(() => process.exit(chars > 0 ? 0 : 3)));`;

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

// CPU time a process has used so far, in µs (utime + stime from /proc, in clock ticks of 10 ms).
function cpuUs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

// Run the autocannon CLI against a port and read its JSON summary; `pid` is the process whose CPU is counted.
async function load(port: number, seconds: number, connections: number, pid?: number): Promise<LoadResult> {
  const cpuBefore = pid ? cpuUs(pid) : 0;
  const r = await autocannon(port, seconds, connections);
  const cpu = pid ? cpuUs(pid) - cpuBefore : 0;
  return { ...r, cpuUsPerReq: r.total ? cpu / r.total : 0 };
}

function autocannon(port: number, seconds: number, connections: number): Promise<Omit<LoadResult, 'cpuUsPerReq'> & { total: number }> {
  const bin = path.join(root, 'node_modules/autocannon/autocannon.js');
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(process.execPath, [bin, '-c', String(connections), '-d', String(seconds), '-j', url], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  return new Promise((resolve, reject) => {
    child.once('exit', () => {
      try {
        const j = JSON.parse(out) as { requests: { average: number; total: number }; latency: { p50: number; p99: number }; errors: number; timeouts: number; non2xx: number };
        resolve({ reqPerSec: j.requests.average, total: j.requests.total, p50Ms: j.latency.p50, p99Ms: j.latency.p99, errors: j.errors + j.timeouts, non2xx: j.non2xx });
      } catch (err) {
        reject(err);
      }
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function medianResult(xs: LoadResult[]): LoadResult {
  return {
    reqPerSec: median(xs.map((x) => x.reqPerSec)),
    p50Ms: median(xs.map((x) => x.p50Ms)),
    p99Ms: median(xs.map((x) => x.p99Ms)),
    errors: xs.reduce((n, x) => n + x.errors, 0),
    non2xx: xs.reduce((n, x) => n + x.non2xx, 0),
    cpuUsPerReq: median(xs.map((x) => x.cpuUsPerReq)),
  };
}

type Target = keyof Round;
const ORDER: Target[] = ['direct', 'bare', 'router'];

/** Options for one bench run. */
export interface BenchRouterOptions {
  seconds?: number;
  rounds?: number;
  connections?: number[];
  /** Write a --cpu-prof profile of the Router child into this directory. */
  profDir?: string;
  /** Called after each round (progress output). */
  onRound?: (connections: number, index: number, round: Round) => void;
}

/** Measure direct, bare http-proxy and Router throughput and latency, interleaved, at each connection count. */
export async function benchRouter(o: BenchRouterOptions = {}): Promise<Result> {
  const seconds = o.seconds ?? 5;
  const rounds = o.rounds ?? 3;
  const upstream = await startListening(['-e', UPSTREAM]);
  const children = [upstream.child];
  try {
    const bareProxy = await startListening(['-e', BARE_PROXY, String(upstream.port)]);
    children.push(bareProxy.child);
    const bundle = bundleRouterChild();
    const prof = o.profDir ? ['--cpu-prof', '--cpu-prof-dir', o.profDir] : [];
    const router = await startListening([...prof, bundle, String(upstream.port)]);
    children.push(router.child);
    fs.rmSync(path.dirname(bundle), { recursive: true, force: true }); // loaded; the file is no longer needed
    const ports: Record<Target, number> = { direct: upstream.port, bare: bareProxy.port, router: router.port };
    const pids: Record<Target, number | undefined> = { direct: upstream.child.pid, bare: bareProxy.child.pid, router: router.child.pid };
    const levels: Level[] = [];
    for (const connections of o.connections ?? [50, 200]) {
      for (const t of ORDER) await load(ports[t], 1, connections); // JIT warm-up, sockets pooled
      const done: Round[] = [];
      for (let i = 0; i < rounds; i++) {
        const round: Partial<Round> = {};
        for (let k = 0; k < ORDER.length; k++) {
          const t = ORDER[(i + k) % ORDER.length]!; // rotate who goes first
          round[t] = await load(ports[t], seconds, connections, pids[t]);
        }
        done.push(round as Round);
        o.onRound?.(connections, i, round as Round);
      }
      levels.push(summarise(connections, done));
    }
    const first = levels[0]!;
    return {
      levels,
      direct: first.direct,
      bare: first.bare,
      router: first.router,
      ratio: first.routerVsDirect,
      bareRatio: first.bareVsDirect,
      vsBare: first.routerVsBare,
      addedP50Ms: first.router.p50Ms - first.direct.p50Ms,
      ok: levels.every((l) => l.ok),
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  }
}

function summarise(connections: number, rounds: Round[]): Level {
  const direct = medianResult(rounds.map((r) => r.direct));
  const bare = medianResult(rounds.map((r) => r.bare));
  const router = medianResult(rounds.map((r) => r.router));
  const routerVsBare = median(rounds.map((r) => r.router.reqPerSec / r.bare.reqPerSec));
  const ok = routerVsBare >= TARGET_VS_BARE && router.p99Ms <= bare.p99Ms && router.errors + router.non2xx === 0;
  return {
    connections, rounds, direct, bare, router, routerVsBare, ok,
    routerVsDirect: median(rounds.map((r) => r.router.reqPerSec / r.direct.reqPerSec)),
    bareVsDirect: median(rounds.map((r) => r.bare.reqPerSec / r.direct.reqPerSec)),
  };
}

const fmt = (x: LoadResult): string => `${String(Math.round(x.reqPerSec)).padStart(6)} rps, p50 ${x.p50Ms} ms, p99 ${x.p99Ms} ms, ${x.cpuUsPerReq.toFixed(0)} µs CPU/req${x.errors + x.non2xx ? `, errors ${x.errors}, non-2xx ${x.non2xx}` : ''}`;

/** One round as a line. */
export function describeRound(connections: number, i: number, r: Round): string {
  return `  c=${connections} round ${i + 1}: direct ${fmt(r.direct)} | http-proxy ${fmt(r.bare)} | router ${fmt(r.router)} | router/http-proxy ${(r.router.reqPerSec / r.bare.reqPerSec).toFixed(3)}, router/direct ${(r.router.reqPerSec / r.direct.reqPerSec).toFixed(3)}`;
}

/** The medians, a block per connection count. */
export function describe(r: Result): string {
  return r.levels
    .map((l) => [
      `router bench, ${l.connections} connections, medians of ${l.rounds.length} interleaved rounds:`,
      `  direct:     ${fmt(l.direct)}`,
      `  http-proxy: ${fmt(l.bare)}  (÷ direct ${l.bareVsDirect.toFixed(3)})`,
      `  router:     ${fmt(l.router)}  (÷ direct ${l.routerVsDirect.toFixed(3)})`,
      `  router ÷ http-proxy ${l.routerVsBare.toFixed(3)} (target ≥ ${TARGET_VS_BARE}), p99 ${l.router.p99Ms} vs ${l.bare.p99Ms} ms (target ≤), CPU/req ${l.router.cpuUsPerReq.toFixed(0)} vs ${l.bare.cpuUsPerReq.toFixed(0)} µs — ${l.ok ? 'OK' : 'MISSED'}`,
    ].join('\n'))
    .join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const profDir = arg('--prof');
  void benchRouter({
    rounds: Number(arg('--rounds') ?? 3),
    seconds: Number(arg('--seconds') ?? 5),
    connections: arg('--connections')?.split(',').map(Number),
    profDir: profDir ? path.resolve(profDir) : undefined,
    onRound: (c, i, round) => process.stdout.write(`${describeRound(c, i, round)}\n`),
  }).then((r) => process.stdout.write(`${describe(r)}\n`));
}
