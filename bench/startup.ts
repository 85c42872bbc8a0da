// Start-up (issue 6): `dyno --version` from the single executable against bare `node -e 0`, measured
// in the same run, runs interleaved so that machine noise hits both alike. Target: ≤ 1.3×.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dynoBundle, root } from './bench-process.js';

export interface StartupBenchResult {
  /** Median wall time of `node -e 0`. */
  nodeMs: number;
  /** Median wall time of `dist/dyno --version` (the single executable). */
  binaryMs: number;
  /** Median wall time of `node dist/dyno.cjs --version`. */
  bundleMs: number;
  /** binaryMs / nodeMs. */
  ratio: number;
  /** Size of dist/dyno in bytes. */
  binaryBytes: number;
}

// Wall time of one run in ms; throws when the command fails.
function timeRun(cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: undefined } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.toString()}`);
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Measure `runs` interleaved rounds after `warmup` unmeasured ones. Needs `npm run build:binary` first. */
export function benchStartup(runs = 40, warmup = 5): StartupBenchResult {
  const binary = path.join(root, 'dist/dyno');
  if (!fs.existsSync(binary)) throw new Error('dist/dyno is missing: run `npm run build:binary`');
  const commands: Array<[string, string[]]> = [
    [process.execPath, ['-e', '0']],
    [binary, ['--version']],
    [process.execPath, [dynoBundle, '--version']],
  ];
  const times: number[][] = commands.map(() => []);
  for (let i = 0; i < warmup + runs; i++) {
    commands.forEach(([cmd, args], j) => {
      const ms = timeRun(cmd, args);
      if (i >= warmup) times[j]!.push(ms);
    });
  }
  const [nodeMs, binaryMs, bundleMs] = times.map(median) as [number, number, number];
  return { nodeMs, binaryMs, bundleMs, ratio: binaryMs / nodeMs, binaryBytes: fs.statSync(binary).size };
}
