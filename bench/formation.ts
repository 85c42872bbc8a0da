// 100 dynos (issues 3 and 13): the same Procfile under dyno and under node-foreman (`nf start`, the
// baseline), in interleaved rounds so that machine noise hits both alike. The Procfile is one type,
// `w: echo up; exec sleep <marker>`: each dyno prints one line, then is a lone `sleep` (no shell left
// over, under either tool's shell), whose argument tells this run's processes apart.
// Two dyno rows: as users run it (bash, Heroku's shell, HEROKU.md §1.1), and with nf's shell, /bin/sh
// (dash here; dyno falls back to it when bash is not on the dynos' PATH, so that row runs with a PATH
// that holds only `sleep`). The shell's own start is the workload's cost, not the tool's: bash execs
// ~0.2–0.3 ms slower than dash per dyno, so "≤ nf" compares like with like, /bin/sh against /bin/sh.
//   up:   from spawning the tool until every dyno's first line (`w.N | up`) is on the tool's stdout —
//         the same definition for both tools (Node's start-up, loading the app and the watchdog included);
//   RSS:  of the tool's own process (the manager: not its children, not dyno's watchdog), read from
//         /proc once every dyno is up (VmRSS), and its peak so far (VmHWM);
//   stop: SIGINT → the tool has exited (dyno only: nf sends SIGINT to each child and leaves it at that).
// After each run, processes of the run still alive are counted (then killed).
// Targets (dyno): up ≤ 500 ms and ≤ nf's up in the same round; RSS ≤ 50 MB; stop ≤ 200 ms; 0 left.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { dynoBundle, exited, root } from './bench-process.js';

/** One tool's run of the formation. */
export interface FormationRun {
  /** Spawn of the tool → every dyno's first line on its stdout. */
  upMs: number;
  /** The tool's own VmRSS once all are up, MB. */
  rssMb: number;
  /** The tool's own VmHWM (peak RSS) once all are up, MB. */
  peakRssMb: number;
  /** SIGINT → the tool exited. */
  stopMs: number;
  /** Processes of the run alive after the tool exited. */
  left: number;
}

export interface FormationRound {
  /** dyno with bash, Heroku's shell (as users run it). */
  dyno: FormationRun;
  /** dyno with /bin/sh, nf's shell. */
  dynoSh: FormationRun;
  nf: FormationRun;
}

export interface FormationBenchResult {
  count: number;
  rounds: FormationRound[];
}

const nfScript = path.join(root, 'node_modules/foreman/nf.js');
const ANSI = /\x1b\[[0-9;]*m/g;
const UP_LINE = /\b(w\.\d+)\s*\|\s*up\s*$/;

// `pid`'s VmRSS and VmHWM in MB.
function memoryOf(pid: number): { rssMb: number; peakRssMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

// Pids whose command line is `sleep <marker>`.
function sleepers(marker: string): number[] {
  return fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') === `sleep\0${marker}\0`;
    } catch {
      return false;
    }
  }).map(Number);
}

// Run one tool on the formation until every dyno has printed its line; then stop it and count leftovers.
async function runTool(argv: string[], dir: string, marker: string, count: number, env: NodeJS.ProcessEnv = process.env): Promise<FormationRun> {
  const seen = new Set<string>();
  let allUp!: () => void;
  const up = new Promise<void>((r) => (allUp = r));
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], env: { ...env, NO_COLOR: '1' } });
  readline.createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (raw) => {
    const m = UP_LINE.exec(raw.replace(ANSI, ''));
    if (m && !seen.has(m[1]!) && seen.add(m[1]!).size === count) allUp();
  });
  const died = exited(child).then(() => {
    throw new Error(`${path.basename(argv[1] ?? argv[0]!)} exited before all ${count} dynos were up (${seen.size} were)`);
  });
  try {
    await Promise.race([up, died]);
    const upAt = performance.now();
    const memory = memoryOf(child.pid!);
    const t1 = performance.now();
    child.kill('SIGINT');
    await exited(child);
    const stopMs = performance.now() - t1;
    const left = sleepers(marker).length;
    return { upMs: upAt - spawnedAt, ...memory, stopMs, left };
  } finally {
    died.catch(() => undefined);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited(child);
    for (const pid of sleepers(marker)) process.kill(pid, 'SIGKILL');
  }
}

// A PATH with `sleep` and no bash: dyno then runs the commands with /bin/sh, as nf does.
function pathWithoutBash(dir: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const sleep = ['/usr/bin/sleep', '/bin/sleep'].find((f) => fs.existsSync(f));
  if (!sleep) throw new Error('no sleep in /usr/bin or /bin');
  fs.symlinkSync(sleep, path.join(bin, 'sleep'));
  return bin;
}

/** Interleaved rounds: nf, dyno, dyno with /bin/sh, `rounds` times, on a fresh app directory each. */
export async function benchFormation(count = 100, rounds = 3): Promise<FormationBenchResult> {
  const result: FormationBenchResult = { count, rounds: [] };
  for (let i = 0; i < rounds; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-bench-100-'));
    const marker = String(100_000 + randomInt(100_000));
    fs.writeFileSync(path.join(dir, 'Procfile'), `w: echo up; exec sleep ${marker}\n`);
    const dynoArgv = [process.execPath, dynoBundle, 'start', `w=${count}`, '--no-router', '--timeout', '5', '-p', '22000'];
    try {
      const nf = await runTool([process.execPath, nfScript, 'start', `w=${count}`, '-p', '22000'], dir, marker, count);
      const dyno = await runTool(dynoArgv, dir, marker, count);
      const dynoSh = await runTool(dynoArgv, dir, marker, count, { ...process.env, PATH: pathWithoutBash(dir) });
      result.rounds.push({ dyno, dynoSh, nf });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return result;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The verdict (on medians, issue 13) and one line per round for bench/run.ts. */
export function reportFormation(r: FormationBenchResult): { ok: boolean; lines: string[] } {
  const lines = r.rounds.map(({ dyno: d, dynoSh: s, nf }, i) => {
    return `  round ${i + 1}: up dyno ${d.upMs.toFixed(0)} ms (bash), dyno ${s.upMs.toFixed(0)} ms (/bin/sh), nf ${nf.upMs.toFixed(0)} ms (/bin/sh), ratios ${(d.upMs / nf.upMs).toFixed(2)}× / ${(s.upMs / nf.upMs).toFixed(2)}×; RSS dyno ${d.rssMb.toFixed(1)} MB (peak ${d.peakRssMb.toFixed(1)}), nf ${nf.rssMb.toFixed(1)} MB; stop dyno ${d.stopMs.toFixed(0)} ms, nf ${nf.stopMs.toFixed(0)} ms; left dyno ${d.left + s.left}, nf ${nf.left}`;
  });
  const med = (f: (x: FormationRound) => number): number => median(r.rounds.map(f));
  const up = med((x) => x.dyno.upMs), upSh = med((x) => x.dynoSh.upMs), nf = med((x) => x.nf.upMs);
  const rss = med((x) => x.dyno.rssMb), stop = med((x) => x.dyno.stopMs);
  const left = r.rounds.reduce((n, x) => n + x.dyno.left + x.dynoSh.left, 0);
  const ok = up <= 500 && upSh <= nf && rss <= 50 && stop <= 200 && left === 0;
  const head = `formation: ${r.count} dynos, ${r.rounds.length} interleaved rounds, medians — up: dyno ${up.toFixed(0)} ms with bash (target ≤ 500), with /bin/sh ${upSh.toFixed(0)} ms vs nf ${nf.toFixed(0)} ms with /bin/sh (${(upSh / nf).toFixed(2)}×, target ≤ 1; bash ${(up / nf).toFixed(2)}×); dyno RSS ${rss.toFixed(1)} MB (target ≤ 50), nf ${med((x) => x.nf.rssMb).toFixed(1)} MB; stop ${stop.toFixed(0)} ms (target ≤ 200); ${left} left`;
  return { ok, lines: [head, ...lines] };
}
