// Start-up (issues 6 and 13): `dyno --version` and `dyno check` (a temp app: a small Procfile and .env)
// against bare `node -e 0` of the same runtime, all measured in the same run, interleaved round by
// round so that machine noise hits each alike. Two runtimes: the bundle (`node dist/dyno.cjs`, this
// Node) and the single executable (dist/dyno-linux-x64 against the Node it embeds, from
// scripts/node-runtime.mjs). Targets: check ≤ 1.2×, --version ≤ 1.1×; a ratio is the median of the
// per-round ratios.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dynoBundle, root } from './bench-process.js';

/** The targets: the command's time over `node -e 0`'s. */
export const STARTUP_TARGETS = { check: 1.2, version: 1.1 } as const;

/** One runtime's rows. */
export interface StartupRuntime {
  /** 'bundle' or 'executable'. */
  name: string;
  /** Median wall time of `node -e 0` of this runtime. */
  nodeMs: number;
  /** Median wall time of `--version`. */
  versionMs: number;
  /** Median wall time of `check`. */
  checkMs: number;
  /** Median over the rounds of versionMs / nodeMs of the same round. */
  versionRatio: number;
  /** Median over the rounds of checkMs / nodeMs of the same round. */
  checkRatio: number;
}

export interface StartupBenchResult {
  runtimes: StartupRuntime[];
  /** Size of dist/dyno.cjs plus its chunks (dist/dyno-*.cjs), in bytes. */
  bundleBytes: number;
  /** Size of dist/dyno-linux-x64 in bytes. */
  binaryBytes: number;
}

/** One round of one runtime: [node -e 0, --version, check] in ms. */
export type StartupRound = { runtime: string; round: number; ms: [number, number, number] };

// Wall time of one run in ms; throws when the command fails.
function timeRun(cmd: string, args: string[], cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: undefined } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.toString()}`);
  return ms;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

// A small app for `dyno check`: two process types and an env file.
function tempApp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-bench-startup-'));
  fs.writeFileSync(path.join(dir, 'Procfile'), 'web: node server.js\nworker: node worker.js\n');
  fs.writeFileSync(path.join(dir, '.env'), 'DATABASE_URL=postgres://localhost/app\nLOG_LEVEL=info\n');
  return dir;
}

/** Format one round as a line: times and ratios. */
export function describeStartupRound(r: StartupRound): string {
  const [node, version, check] = r.ms;
  return `startup ${r.runtime} round ${r.round + 1}: node -e 0 ${node.toFixed(1)} ms, --version ${version.toFixed(1)} ms (${(version / node).toFixed(2)}×), check ${check.toFixed(1)} ms (${(check / node).toFixed(2)}×)`;
}

/** Measure `runs` interleaved rounds after `warmup` unmeasured ones. Needs `npm run build` and `node scripts/build-executables.mjs x64` first. */
export function benchStartup(o: { runs?: number; warmup?: number; onRound?(r: StartupRound): void } = {}): StartupBenchResult {
  const { runs = 30, warmup = 5 } = o;
  const binary = path.join(root, 'dist/dyno-linux-x64');
  if (!fs.existsSync(binary)) throw new Error('dist/dyno-linux-x64 is missing: run `npm run build:binary`');
  const node26 = execFileSync(process.execPath, [path.join(root, 'scripts/node-runtime.mjs'), 'x64'], { encoding: 'utf8' }).trim();
  const runtimes: Array<{ name: string; commands: Array<[string, string[]]> }> = [
    { name: 'bundle', commands: [[process.execPath, ['-e', '0']], [process.execPath, [dynoBundle, '--version']], [process.execPath, [dynoBundle, 'check']]] },
    { name: 'executable', commands: [[node26, ['-e', '0']], [binary, ['--version']], [binary, ['check']]] },
  ];
  const app = tempApp();
  const rounds = runtimes.map(() => [] as Array<[number, number, number]>);
  try {
    for (let i = 0; i < warmup + runs; i++) {
      runtimes.forEach((rt, j) => {
        const ms = rt.commands.map(([cmd, args]) => timeRun(cmd, args, app)) as [number, number, number];
        if (i < warmup) return;
        rounds[j]!.push(ms);
        o.onRound?.({ runtime: rt.name, round: i - warmup, ms });
      });
    }
  } finally {
    fs.rmSync(app, { recursive: true, force: true });
  }
  const bundleBytes = fs.readdirSync(path.dirname(dynoBundle)).filter((f) => /^dyno(-.*)?\.cjs$/.test(f)).reduce((n, f) => n + fs.statSync(path.join(path.dirname(dynoBundle), f)).size, 0);
  return {
    runtimes: runtimes.map((rt, j) => {
      const rs = rounds[j]!;
      return {
        name: rt.name,
        nodeMs: median(rs.map((r) => r[0])),
        versionMs: median(rs.map((r) => r[1])),
        checkMs: median(rs.map((r) => r[2])),
        versionRatio: median(rs.map((r) => r[1] / r[0])),
        checkRatio: median(rs.map((r) => r[2] / r[0])),
      };
    }),
    bundleBytes,
    binaryBytes: fs.statSync(binary).size,
  };
}

/** Whether every runtime meets both targets. */
export function startupOk(r: StartupBenchResult): boolean {
  return r.runtimes.every((rt) => rt.versionRatio <= STARTUP_TARGETS.version && rt.checkRatio <= STARTUP_TARGETS.check);
}

/** The summary line per runtime. */
export function describeStartup(r: StartupBenchResult): string[] {
  return r.runtimes.map((rt) =>
    `startup ${rt.name}: node -e 0 ${rt.nodeMs.toFixed(1)} ms, --version ${rt.versionMs.toFixed(1)} ms (${rt.versionRatio.toFixed(2)}×, target ≤ ${STARTUP_TARGETS.version}×), check ${rt.checkMs.toFixed(1)} ms (${rt.checkRatio.toFixed(2)}×, target ≤ ${STARTUP_TARGETS.check}×)`,
  ).concat(`startup sizes: bundle with chunks ${(r.bundleBytes / 1e3).toFixed(0)} kB, executable ${(r.binaryBytes / 1e6).toFixed(1)} MB`);
}
