// Scale simulation (issue 5): on a copy of examples/app, `dyno scale web=1 → web=20 → web=1`: time until
// `ps` shows all 20 up and until the router has routed to all 20 (distinct DYNO in the answers of `/`),
// then until the 19 are gone. Then, on 100 `sleep` dynos, the latency of `ps` (target ≤ 50 ms) and of
// a `scale` request, over the control socket (in-process client), and of `dyno ps` as a command.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { requestApp } from '../src/control/client.js';
import { dynoBundle, exited, root, spawnLines } from './bench-process.js';

export interface ScaleBenchResult {
  /** scale web=20 sent → ps shows 20 web dynos up. */
  allUpMs: number;
  /** scale web=20 sent → the router has answered from each of the 20. */
  allRoutedMs: number;
  /** scale web=1 sent → ps shows only web.1. */
  downMs: number;
  /** ps round trips at 100 dynos (socket, in-process client). */
  ps100: { p50Ms: number; p95Ms: number; maxMs: number };
  /** One scale request at 100 dynos (reply time: the dynos start after it). */
  scale100Ms: number;
  /** `dyno ps` as a command at 100 dynos, Node start-up included. */
  psCommandMs: number;
}

const GET_TIMEOUT_MS = 5000;

// GET / through the router (no connection reuse); the DYNO that answered, or undefined.
function answeredBy(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: GET_TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(/this is (web\.\d+)/.exec(body)?.[1]));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

// Start dyno on `dir`; resolves once `ready` matched a line.
async function startDyno(dir: string, args: string[], ready: RegExp): Promise<ReturnType<typeof spawnLines>> {
  let resolve!: () => void;
  const seen = new Promise<void>((r) => (resolve = r));
  const child = spawnLines(process.execPath, [dynoBundle, 'start', ...args], { cwd: dir, onLine: (line) => ready.test(line) && resolve() });
  await seen;
  return child;
}

// Poll ps until `done(dynos)`; resolves with the elapsed time from t0.
async function untilPs(dir: string, t0: number, done: (d: Array<{ name: string; state: string }>) => boolean): Promise<number> {
  for (;;) {
    const { dynos } = await requestApp(dir, { verb: 'ps' });
    if (done(dynos)) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function example(port: number): Promise<Pick<ScaleBenchResult, 'allUpMs' | 'allRoutedMs' | 'downMs'>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-bench-scale-'));
  fs.cpSync(path.join(root, 'examples/app'), dir, { recursive: true, filter: (src) => !src.includes('.dyno') });
  const dyno = await startDyno(dir, ['web=1', '-p', String(port), '--timeout', '2'], /web\.1 .*State changed from starting to up/);
  try {
    const t0 = performance.now();
    await requestApp(dir, { verb: 'scale', args: ['web=20'] });
    const up = untilPs(dir, t0, (d) => d.filter((x) => x.state === 'up').length === 20);
    const seen = new Set<string>();
    while (seen.size < 20) for (const d of await Promise.all(Array.from({ length: 20 }, () => answeredBy(port)))) if (d) seen.add(d);
    const allRoutedMs = performance.now() - t0;
    const allUpMs = await up;
    const t1 = performance.now();
    await requestApp(dir, { verb: 'scale', args: ['web=1'] });
    const downMs = await untilPs(dir, t1, (d) => d.length === 1);
    return { allUpMs, allRoutedMs, downMs };
  } finally {
    dyno.kill('SIGINT');
    await exited(dyno);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function hundred(port: number): Promise<Pick<ScaleBenchResult, 'ps100' | 'scale100Ms' | 'psCommandMs'>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-bench-ps-'));
  fs.writeFileSync(path.join(dir, 'Procfile'), 'w: sleep 1000\nv: sleep 1000\n');
  const dyno = await startDyno(dir, ['w=99', 'v=1', '--no-router', '-p', String(port), '--timeout', '2'], /Starting process/);
  try {
    await untilPs(dir, 0, (d) => d.length === 100 && d.every((x) => x.state === 'up'));
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      await requestApp(dir, { verb: 'ps' });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const t = performance.now();
    await requestApp(dir, { verb: 'scale', args: ['w-1', 'v+1'] });
    const scale100Ms = performance.now() - t;
    const c = performance.now();
    execFileSync(process.execPath, [dynoBundle, 'ps'], { cwd: dir, stdio: 'ignore' });
    const psCommandMs = performance.now() - c;
    return { ps100: { p50Ms: times[24]!, p95Ms: times[47]!, maxMs: times[49]! }, scale100Ms, psCommandMs };
  } finally {
    dyno.kill('SIGINT');
    await exited(dyno);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchScale(): Promise<ScaleBenchResult> {
  return { ...(await example(23000)), ...(await hundred(24000)) };
}
