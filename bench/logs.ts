// Log throughput (issue 13): 4 process types each write 200,000 lines of 100 bytes (80 MB) as fast as they
// can; the tool's stdout goes to a pipe read line by line. Baselines, in the same run and interleaved:
// `cat` of the very bytes the tool prints (per format) into the same reader, and concurrently 9.
// Targets, on the median of ≥ 3 rounds: dyno ≤ 2.5× cat and faster than concurrently, in the pretty and the
// heroku format, with 0 lines lost or mangled (counted for every tool; concurrently loses some).
// DYNO_BENCH_BEFORE=<bundle> adds that bundle's columns (before/after in one run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dynoBundle, exited, root, spawnLines } from './bench-process.js';

export const TYPES = 4;
export const LINES = 200_000;

/** The i-th line of a type: exactly 100 bytes, self-checking. */
export function benchLine(type: string, i: number): string {
  const head = `${type} ${String(i).padStart(7, '0')} `;
  return head + 'x'.repeat(100 - head.length);
}

// Each dyno (and each concurrently command) is `cat` of its own pre-written file (the fastest writer there
// is), then stays up so that no exit/restart interferes with the measurement (concurrently exits as soon as
// its commands do, and loses what its stdout still buffered).
const writerCommand = (type: string): string => `cat ${type}.txt && exec sleep 1000`;

/** One run of one tool: time until its last line was read, and what arrived. */
export interface ToolRun {
  ms: number;
  lost: number;
  mangled: number;
}

/** Per-line patterns: the source type and the text of a line each tool prints. */
const PATTERNS = {
  pretty: /^(t\d)\.1 +\| (.*)$/,
  heroku: /^\S+ app\[(t\d)\.1\]: (.*)$/,
  concurrently: /^\[(t\d)\] (.*)$/,
} as const;
type Shape = keyof typeof PATTERNS;

// Counts correct lines per type in order; a line that carries a type's prefix (or a bench line's body)
// but is not the next expected line is mangled; lines that never arrive whole are lost.
function checker(types: string[], shape: Shape, onAll: () => void): { onLine(line: string): void; correct(): number; mangled(): number } {
  const next = new Map(types.map((t) => [t, 0]));
  let correct = 0;
  let mangled = 0;
  const pattern = PATTERNS[shape];
  return {
    onLine(line) {
      const m = pattern.exec(line);
      if (!m) {
        if (line.includes('xxxxxxxx')) mangled++;
        return;
      }
      const type = m[1]!;
      const i = next.get(type);
      if (i === undefined) return void mangled++;
      if (m[2] === benchLine(type, i)) {
        next.set(type, i + 1);
        if (++correct === types.length * LINES) onAll();
        return;
      }
      // Resynchronise on a later intact line (those in between were lost).
      const k = /^t\d (\d{7}) x+$/.exec(m[2]!);
      const j = k ? Number(k[1]) : -1;
      if (j > i && m[2] === benchLine(type, j)) {
        next.set(type, j + 1);
        correct++;
      } else {
        mangled++;
      }
    },
    correct: () => correct,
    mangled: () => mangled,
  };
}

/** No line for this long means the tool has printed all it will. */
const IDLE_MS = 3000;

// Spawn a command whose stdout goes to the checker; the time is until its last line was read.
async function timeReader(cmd: string, args: string[], o: { cwd: string; types: string[]; shape: Shape }): Promise<ToolRun> {
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const check = checker(o.types, o.shape, () => done());
  let last = performance.now();
  const idle = setTimeout(() => done(), IDLE_MS);
  const t0 = performance.now();
  const child = spawnLines(cmd, args, {
    cwd: o.cwd,
    onLine: (line) => {
      last = performance.now();
      idle.refresh();
      check.onLine(line);
    },
  });
  await Promise.race([finished, exited(child).then(() => undefined)]);
  clearTimeout(idle);
  const ms = last - t0;
  child.kill('SIGINT');
  await exited(child);
  const correct = check.correct();
  return { ms, lost: o.types.length * LINES - correct, mangled: check.mangled() };
}

/** One tool's column: what it runs and how its lines look. */
interface Column {
  name: string;
  shape: Shape;
  /** The cat baseline it is compared with. */
  baseline: 'cat-pretty' | 'cat-heroku';
  cmd: string;
  args: string[];
}

// The columns of one round, in the order they run (interleaved across rounds).
function columns(types: string[]): Column[] {
  const dynoArgs = (bundle: string, format: string): string[] =>
    [bundle, 'start', '--no-router', '--no-timestamp', '--format', format, '--timeout', '1', '-p', '21000'];
  const before = process.env.DYNO_BENCH_BEFORE;
  const cols: Column[] = [
    { name: 'cat-pretty', shape: 'pretty', baseline: 'cat-pretty', cmd: 'cat', args: ['expected-pretty.txt'] },
    { name: 'dyno-pretty', shape: 'pretty', baseline: 'cat-pretty', cmd: process.execPath, args: dynoArgs(dynoBundle, 'pretty') },
    { name: 'concurrently', shape: 'concurrently', baseline: 'cat-pretty', cmd: path.join(root, 'node_modules/.bin/concurrently'), args: ['-n', types.join(','), ...types.map(writerCommand)] },
    { name: 'cat-heroku', shape: 'heroku', baseline: 'cat-heroku', cmd: 'cat', args: ['expected-heroku.txt'] },
    { name: 'dyno-heroku', shape: 'heroku', baseline: 'cat-heroku', cmd: process.execPath, args: dynoArgs(dynoBundle, 'heroku') },
  ];
  if (before) {
    cols.push({ name: 'before-pretty', shape: 'pretty', baseline: 'cat-pretty', cmd: process.execPath, args: dynoArgs(before, 'pretty') });
    cols.push({ name: 'before-heroku', shape: 'heroku', baseline: 'cat-heroku', cmd: process.execPath, args: dynoArgs(before, 'heroku') });
  }
  return cols;
}

export interface LogBenchResult {
  /** Column name → one run per round. */
  runs: Map<string, ToolRun[]>;
  rounds: number;
}

// Write the app (one file per type) and the cat baselines: the very bytes each format prints, interleaved.
async function writeApp(dir: string, types: string[]): Promise<void> {
  for (const t of types) {
    fs.writeFileSync(path.join(dir, `${t}.txt`), Array.from({ length: LINES }, (_, i) => `${benchLine(t, i)}\n`).join(''));
  }
  fs.writeFileSync(path.join(dir, 'Procfile'), types.map((t) => `${t}: ${writerCommand(t)}`).join('\n') + '\n');
  const stamp = '2012-08-11T12:42:00.123456+00:00';
  const shapes = { pretty: (t: string, l: string) => `${t}.1 | ${l}\n`, heroku: (t: string, l: string) => `${stamp} app[${t}.1]: ${l}\n` };
  for (const [name, render] of Object.entries(shapes)) {
    const out = fs.createWriteStream(path.join(dir, `expected-${name}.txt`));
    for (let i = 0; i < LINES; i++) out.write(types.map((t) => render(t, benchLine(t, i))).join(''));
    await new Promise((r) => out.end(r));
  }
}

export async function benchLogs(rounds = Number(process.env.BENCH_ROUNDS ?? 3)): Promise<LogBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-bench-logs-'));
  const types = Array.from({ length: TYPES }, (_, k) => `t${k}`);
  await writeApp(dir, types);
  const runs = new Map<string, ToolRun[]>();
  try {
    for (let r = 0; r < rounds; r++) {
      for (const col of columns(types)) {
        const run = await timeReader(col.cmd, col.args, { cwd: dir, types, shape: col.shape });
        if (col.cmd === 'cat' && (run.lost || run.mangled)) throw new Error(`the ${col.name} baseline itself lost lines`);
        runs.set(col.name, [...(runs.get(col.name) ?? []), run]);
      }
    }
    return { runs, rounds };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The report lines, and whether every target held on the medians. */
export function reportLogs(r: LogBenchResult): { lines: string[]; ok: boolean } {
  const ms = (name: string): number[] => (r.runs.get(name) ?? []).map((x) => x.ms);
  const ratios = (a: string, b: string): number[] => ms(a).map((x, i) => x / ms(b)[i]!);
  const fmtRatios = (xs: number[]): string => xs.map((x) => x.toFixed(2)).join(', ');
  const lines: string[] = [];
  let ok = true;
  for (const [name, runs] of r.runs) {
    const lost = runs.reduce((n, x) => n + x.lost, 0);
    const mangled = runs.reduce((n, x) => n + x.mangled, 0);
    const base = name.includes('heroku') ? 'cat-heroku' : 'cat-pretty';
    const vsCat = name.startsWith('cat') ? '' : `, ${median(ratios(name, base)).toFixed(2)}× cat (rounds ${fmtRatios(ratios(name, base))})`;
    const vsConc = name.startsWith('dyno') || name.startsWith('before') ? `, ${median(ratios(name, 'concurrently')).toFixed(2)}× concurrently (rounds ${fmtRatios(ratios(name, 'concurrently'))})` : '';
    lines.push(`  ${name.padEnd(13)} median ${median(ms(name)).toFixed(0).padStart(5)} ms${vsCat}${vsConc}; lost ${lost}, mangled ${mangled} over ${runs.length} rounds`);
    if (name.startsWith('dyno')) {
      const hit = median(ratios(name, base)) <= 2.5 && median(ratios(name, 'concurrently')) < 1 && lost === 0 && mangled === 0;
      ok &&= hit;
    }
  }
  return { lines, ok };
}
