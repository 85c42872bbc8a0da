// Log throughput (issue 3): 4 process types each write 200,000 lines of 100 bytes as fast as they can;
// dyno's stdout goes to a pipe read line by line. Baseline, in the same run: `cat` of the same bytes
// into the same reader. Target: dyno ≤ 4× cat, with 0 lines lost or mangled.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dynoBundle, exited, spawnLines } from './bench-process.js';

export const TYPES = 4;
export const LINES = 200_000;

/** The i-th line of a type: exactly 100 bytes, self-checking. */
export function benchLine(type: string, i: number): string {
  const head = `${type} ${String(i).padStart(7, '0')} `;
  return head + 'x'.repeat(100 - head.length);
}

// Each dyno is `cat` of its own pre-written file (the fastest writer there is), then stays up so
// that no exit/restart interferes with the measurement.
const writerCommand = (type: string): string => `cat ${type}.txt && exec sleep 1000`;

export interface LogBenchResult {
  catMs: number;
  dynoMs: number;
  ratio: number;
  lost: number;
  mangled: number;
}

// The reader both runs use: checks that each type's lines arrive complete and in order.
function checker(types: string[], onAll: () => void): { onLine(line: string): void; received(): number; mangled(): number } {
  const next = new Map(types.map((t) => [t, 0]));
  let received = 0;
  let mangled = 0;
  return {
    onLine(line) {
      const m = /^(t\d)\.1 +\| (.*)$/.exec(line);
      if (!m) return;
      const type = m[1]!;
      const i = next.get(type)!;
      if (m[2] !== benchLine(type, i)) mangled++;
      next.set(type, i + 1);
      if (++received === types.length * LINES) onAll();
    },
    received: () => received,
    mangled: () => mangled,
  };
}

// Spawn a command whose stdout goes to the checker; resolve with the time until every line was read.
async function timeReader(cmd: string, args: string[], o: { cwd: string; types: string[] }): Promise<{ ms: number; received: number; mangled: number }> {
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const check = checker(o.types, () => done());
  const t0 = performance.now();
  const child = spawnLines(cmd, args, { cwd: o.cwd, onLine: check.onLine });
  await Promise.race([finished, exited(child)]);
  const ms = performance.now() - t0;
  child.kill('SIGINT');
  await exited(child);
  return { ms, received: check.received(), mangled: check.mangled() };
}

export async function benchLogs(): Promise<LogBenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-bench-logs-'));
  const types = Array.from({ length: TYPES }, (_, k) => `t${k}`);
  for (const t of types) {
    fs.writeFileSync(path.join(dir, `${t}.txt`), Array.from({ length: LINES }, (_, i) => `${benchLine(t, i)}\n`).join(''));
  }
  fs.writeFileSync(path.join(dir, 'Procfile'), types.map((t) => `${t}: ${writerCommand(t)}`).join('\n') + '\n');
  // The baseline: the very bytes dyno prints (`t0.1 | <line>`), interleaved, from cat.
  const out = fs.createWriteStream(path.join(dir, 'expected.txt'));
  for (let i = 0; i < LINES; i++) out.write(types.map((t) => `${t}.1 | ${benchLine(t, i)}\n`).join(''));
  await new Promise((r) => out.end(r));
  try {
    const cat = await timeReader('cat', ['expected.txt'], { cwd: dir, types });
    if (cat.received !== TYPES * LINES || cat.mangled) throw new Error('the cat baseline itself lost lines');
    const dyno = await timeReader(process.execPath, [dynoBundle, 'start', '--no-router', '--no-timestamp', '--timeout', '1', '-p', '21000'], { cwd: dir, types });
    return { catMs: cat.ms, dynoMs: dyno.ms, ratio: dyno.ms / cat.ms, lost: TYPES * LINES - dyno.received, mangled: dyno.mangled };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
