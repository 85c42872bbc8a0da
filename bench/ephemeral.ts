// --ephemeral (issue 14): start-up of a 10-dyno web formation (node HTTP servers) until all are up,
// with and without per-run overlays, interleaved rounds, medians. Target: isolation adds ≤ 20 %.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dynoBundle, exited, root, spawnLines } from './bench-process.js';

export interface EphemeralBenchResult {
  plainMs: number;
  ephemeralMs: number;
  /** ephemeralMs / plainMs. */
  ratio: number;
  /** The isolation mode the run used (the start notice). */
  mode: string;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// One start: spawn → all `count` web dynos up; then stop. Returns the time and the --ephemeral notice.
async function startOnce(dir: string, count: number, extra: string[]): Promise<{ ms: number; mode: string }> {
  let up = 0;
  let mode = '';
  let allUp: () => void = () => undefined;
  const started = new Promise<void>((r) => (allUp = r));
  const t0 = performance.now();
  const child = spawnLines(process.execPath, [dynoBundle, 'start', `web=${count}`, '--timeout', '5', '-p', '22600', ...extra], {
    cwd: dir,
    onLine: (line) => {
      if (line.includes('--ephemeral:')) mode = /report-only/.test(line) ? 'report-only' : 'overlay';
      if (/State changed from starting to up/.test(line) && ++up === count) allUp();
    },
  });
  await started;
  const ms = performance.now() - t0;
  child.kill('SIGINT');
  await exited(child);
  return { ms, mode };
}

export async function benchEphemeral(rounds = 7, count = 10): Promise<EphemeralBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-bench-eph-'));
  fs.writeFileSync(path.join(dir, 'Procfile'), `web: node ${path.join(root, 'test/fixtures/bin/web.js')}\n`);
  try {
    const plain: number[] = [];
    const eph: number[] = [];
    let mode = '';
    await startOnce(dir, count, []); // warm-up
    for (let i = 0; i < rounds; i++) {
      plain.push((await startOnce(dir, count, [])).ms);
      const r = await startOnce(dir, count, ['--ephemeral']);
      eph.push(r.ms);
      mode = r.mode;
    }
    const plainMs = median(plain);
    const ephemeralMs = median(eph);
    return { plainMs, ephemeralMs, ratio: ephemeralMs / plainMs, mode };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
