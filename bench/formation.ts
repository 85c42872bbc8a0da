// 100 dynos (issue 3): `w=100` of `sleep`: time until all are started, dyno's own RSS, time to stop all.
// Targets: all started ≤ 0.5 s, RSS ≤ 60 MB, stop ≤ 1 s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dynoBundle, exited, rssMb, spawnLines } from './bench-process.js';

export interface FormationBenchResult {
  /** From dyno's first output line (app loaded) to all dynos up. */
  startMs: number;
  /** The same from spawning dyno (includes Node's own start-up). */
  startFromSpawnMs: number;
  rssMb: number;
  stopMs: number;
}

export async function benchFormation(count = 100): Promise<FormationBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-bench-100-'));
  fs.writeFileSync(path.join(dir, 'Procfile'), 'w: sleep 1000\n');
  try {
    let up = 0;
    let allUp: () => void = () => undefined;
    const started = new Promise<void>((r) => (allUp = r));
    const spawnedAt = performance.now();
    let t0 = 0;
    const child = spawnLines(process.execPath, [dynoBundle, 'start', `w=${count}`, '--no-router', '--timeout', '5', '-p', '22000'], {
      cwd: dir,
      onLine: (line) => {
        t0 ||= performance.now(); // dyno's first line: the app is loaded and the formation announced
        if (/State changed from starting to up/.test(line) && ++up === count) allUp();
      },
    });
    await started;
    const startMs = performance.now() - t0;
    const startFromSpawnMs = performance.now() - spawnedAt;
    const rss = rssMb(child.pid!);
    const t1 = performance.now();
    child.kill('SIGINT');
    await exited(child);
    return { startMs, startFromSpawnMs, rssMb: rss, stopMs: performance.now() - t1 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
