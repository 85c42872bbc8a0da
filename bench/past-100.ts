// Past 100 (issue 13): Heroku's 100-dyno limit is the default (300 dynos are refused), `--max-dynos 300`
// lifts it: 4 types × 75 `sleep` dynos up (ps shows 300 up), then Ctrl-C, and 0 processes left.
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requestApp } from '../src/control/client.js';
import { dynoBundle, exited, spawnLines } from './bench-process.js';

export interface Past100Result {
  /** Exit status of the same formation without --max-dynos (2: refused, Heroku's limit). */
  defaultRefusedStatus: number;
  /** Spawn → ps shows 300 dynos up. */
  allUpMs: number;
  /** SIGINT → dyno start exited. */
  stopMs: number;
  /** Exit status of dyno start after the stop. */
  exitStatus: number | null;
  /** Processes of the formation alive after dyno start exited. */
  left: number;
}

// Pids whose command line is `sleep <seconds>`.
function sleepers(seconds: string): number[] {
  return fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8') === `sleep\0${seconds}\0`;
    } catch {
      return false;
    }
  }).map(Number);
}

export async function benchPast100(port = 25000): Promise<Past100Result> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-bench-300-'));
  const seconds = String(100_000 + randomInt(100_000)); // tells this run's processes apart
  fs.writeFileSync(path.join(dir, 'Procfile'), ['a', 'b', 'c', 'd'].map((t) => `${t}: sleep ${seconds}\n`).join(''));
  const formation = ['a=75', 'b=75', 'c=75', 'd=75'];
  const base = ['start', ...formation, '--no-router', '-p', String(port), '--timeout', '2'];
  const refused = spawnSync(process.execPath, [dynoBundle, ...base], { cwd: dir, stdio: 'ignore' });
  const t0 = performance.now();
  const dyno = spawnLines(process.execPath, [dynoBundle, ...base, '--max-dynos', '300'], { cwd: dir, onLine: () => undefined });
  try {
    for (;;) {
      const up = await requestApp(dir, { verb: 'ps' }).then((r) => r.dynos.filter((d) => d.state === 'up').length, () => 0);
      if (up === 300) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const allUpMs = performance.now() - t0;
    const t1 = performance.now();
    dyno.kill('SIGINT');
    const exitStatus = await exited(dyno);
    return { defaultRefusedStatus: refused.status ?? -1, allUpMs, stopMs: performance.now() - t1, exitStatus, left: sleepers(seconds).length };
  } finally {
    if (dyno.exitCode === null && dyno.signalCode === null) dyno.kill('SIGKILL');
    for (const pid of sleepers(seconds)) process.kill(pid, 'SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
