// 100 dynos (issues 3 and 13): the same Procfile under dyno and under node-foreman (`nf start`, the
// baseline), in interleaved rounds so that machine noise hits both alike. The Procfile is one type,
// `w: echo up; exec sleep <marker>`: each dyno prints one line, then is a lone `sleep` (no shell left
// over, under either tool's shell), whose argument tells this run's processes apart.
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
  dyno: FormationRun;
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
async function runTool(argv: string[], dir: string, marker: string, count: number): Promise<FormationRun> {
  const seen = new Set<string>();
  let allUp!: () => void;
  const up = new Promise<void>((r) => (allUp = r));
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, NO_COLOR: '1' } });
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

/** Interleaved rounds: nf, then dyno, `rounds` times, on a fresh app directory each. */
export async function benchFormation(count = 100, rounds = 3): Promise<FormationBenchResult> {
  const result: FormationBenchResult = { count, rounds: [] };
  for (let i = 0; i < rounds; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-bench-100-'));
    const marker = String(100_000 + randomInt(100_000));
    fs.writeFileSync(path.join(dir, 'Procfile'), `w: echo up; exec sleep ${marker}\n`);
    try {
      const nf = await runTool([process.execPath, nfScript, 'start', `w=${count}`, '-p', '22000'], dir, marker, count);
      const dyno = await runTool([process.execPath, dynoBundle, 'start', `w=${count}`, '--no-router', '--timeout', '5', '-p', '22000'], dir, marker, count);
      result.rounds.push({ dyno, nf });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return result;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The verdict and one line per round for bench/run.ts. */
export function reportFormation(r: FormationBenchResult): { ok: boolean; lines: string[] } {
  const lines = r.rounds.map(({ dyno: d, nf }, i) => {
    return `  round ${i + 1}: dyno up ${d.upMs.toFixed(0)} ms, nf up ${nf.upMs.toFixed(0)} ms, ratio ${(d.upMs / nf.upMs).toFixed(2)}×; RSS dyno ${d.rssMb.toFixed(1)} MB (peak ${d.peakRssMb.toFixed(1)}), nf ${nf.rssMb.toFixed(1)} MB; stop dyno ${d.stopMs.toFixed(0)} ms, nf ${nf.stopMs.toFixed(0)} ms; left dyno ${d.left}, nf ${nf.left}`;
  });
  const ok = r.rounds.every(({ dyno: d, nf }) => d.upMs <= 500 && d.upMs <= nf.upMs && d.rssMb <= 50 && d.stopMs <= 200 && d.left === 0);
  const m = (f: (x: FormationRound) => number): string => median(r.rounds.map(f)).toFixed(0);
  const head = `formation: ${r.count} dynos, ${r.rounds.length} interleaved rounds, medians — dyno up ${m((x) => x.dyno.upMs)} ms vs nf ${m((x) => x.nf.upMs)} ms (target ≤ 500 and ≤ nf, every round), dyno RSS ${median(r.rounds.map((x) => x.dyno.rssMb)).toFixed(1)} MB (target ≤ 50), stop ${m((x) => x.dyno.stopMs)} ms (target ≤ 200), 0 left`;
  return { ok, lines: [head, ...lines] };
}
