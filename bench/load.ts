// dyno load (issue 16): on a copy of examples/app, `dyno load /cpu?ms=5 --sweep web=1..3` (3 s per count
// after a 1 s warm-up) as a user runs it. Records what a sweep costs in wall time beyond the phases it
// measures (scaling, readiness, the router's tail), and who used the CPU while it loaded: dyno start
// (supervisor, router, log pipeline) against the load generator and the dynos, in the same run; plus
// the cost of one `stats` sample (the 1 Hz sampling the run adds).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requestApp } from '../src/control/client.js';
import type { SweepReport } from '../src/load/load-report.js';
import { dynoBundle, exited, root, spawnLines } from './bench-process.js';

export interface LoadBenchResult {
  wallMs: number;
  /** Warm-up + measured time the sweep asked for. */
  phasesMs: number;
  counts: number;
  /** Per count: CPU in % of one core. */
  rows: Array<{ count: number; rps: number; managerPct: number; generatorPct: number; dynosPct: number }>;
  /** dyno start's CPU over all CPU used during the measured phases (manager + generator + dynos). */
  managerShare: number;
  /** The same for the load generator. */
  generatorShare: number;
  statsP50Ms: number;
  cores: number;
}

const run = promisify(execFile);

export async function benchLoad(port = 25000): Promise<LoadBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-bench-load-'));
  fs.cpSync(path.join(root, 'examples/app'), dir, { recursive: true, filter: (src) => !src.includes('.dyno') });
  let resolve!: () => void;
  const up = new Promise<void>((r) => (resolve = r));
  const dyno = spawnLines(process.execPath, [dynoBundle, 'start', 'web=1', '-p', String(port), '--timeout', '2'], { cwd: dir, onLine: (l) => /web\.1 .*State changed from starting to up/.test(l) && resolve() });
  try {
    await up;
    const t0 = performance.now();
    const { stdout } = await run(process.execPath, [dynoBundle, 'load', '/cpu?ms=5', '--sweep', 'web=1..3', '-d', '3s', '--warmup', '1s', '-c', '10', '--json'], { cwd: dir, maxBuffer: 64 << 20 });
    const wallMs = performance.now() - t0;
    const report = JSON.parse(stdout) as SweepReport;
    const rows = report.rows.map((r) => ({
      count: r.count,
      rps: r.rps,
      managerPct: r.manager.cpuPct ?? 0,
      generatorPct: r.loadGeneratorCpuPct,
      dynosPct: r.dynos.reduce((n, d) => n + (d.cpuPct ?? 0), 0),
    }));
    const sum = (f: (r: (typeof rows)[number]) => number): number => rows.reduce((n, r) => n + f(r), 0);
    const all = sum((r) => r.managerPct + r.generatorPct + r.dynosPct);
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      await requestApp(dir, { verb: 'stats' });
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return {
      wallMs,
      phasesMs: 3 * (1000 + 3000),
      counts: 3,
      rows,
      managerShare: sum((r) => r.managerPct) / all,
      generatorShare: sum((r) => r.generatorPct) / all,
      statsP50Ms: times[14]!,
      cores: report.rows[0]?.cores ?? os.availableParallelism(),
    };
  } finally {
    dyno.kill('SIGINT');
    await exited(dyno);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
