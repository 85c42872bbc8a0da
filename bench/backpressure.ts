// Bounded memory under a stalled reader (issue 10 item 8): one dyno runs `yes` while dyno's stdout goes
// to a reader that is SIGSTOPped for 30 s (BENCH_STALL_S). Measured: dyno's peak RSS while stalled
// (target < 100 MB), the router answering throughout (a request every 250 ms), and after SIGCONT every
// line the reader gets intact (`yes.1 | y`, or one of dyno's / the router's own lines).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { dynoBundle, exited, rssMb } from './bench-process.js';

export interface BackpressureResult {
  stallS: number;
  peakRssMb: number;
  requests: number;
  answered: number;
  lines: number;
  mangled: number;
}

// The reader: counts lines, and lines that are neither `yes.1 | y` nor a well-formed line of another source.
const READER = `
let rest = '', lines = 0, mangled = 0;
process.stdin.on('data', (c) => {
  const parts = (rest + c.toString('latin1')).split('\\n'); rest = parts.pop();
  for (const l of parts) { lines++; if (!/^yes\\.1 +\\| y$/.test(l) && !/^(yes\\.1|web\\.1|router|dyno) +\\* /.test(l) && !/^(web\\.1|dyno) +[|!] /.test(l)) mangled++; }
});
process.stdin.on('end', () => process.stderr.write(JSON.stringify({ lines, mangled }) + '\\n'));
`;

const WEB = `require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT)`;

function get(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

export async function benchBackpressure(stallS = Number(process.env.BENCH_STALL_S ?? 30)): Promise<BackpressureResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-bench-bp-'));
  fs.writeFileSync(path.join(dir, 'Procfile'), `web: node -e "${WEB}"\nyes: yes\n`);
  const port = 21700;
  const reader = spawn(process.execPath, ['-e', READER], { stdio: ['pipe', 'ignore', 'pipe'] });
  let report = '';
  reader.stderr.on('data', (c: Buffer) => (report += c.toString()));
  // BENCH_DYNO_NODE_ARGS: extra node flags for dyno (profiling: --heap-prof, --require a sampler).
  const nodeArgs = process.env.BENCH_DYNO_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const dyno = spawn(process.execPath, [...nodeArgs, dynoBundle, 'start', '--no-timestamp', '--timeout', '1', '-p', String(port)], {
    cwd: dir,
    stdio: ['ignore', reader.stdin, 'inherit'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  reader.stdin.destroy(); // our copy of the pipe's write end: the reader sees EOF when dyno exits
  try {
    for (let t = Date.now(); !(await get(port)); ) if (Date.now() - t > 20_000) throw new Error('the router never answered');
    reader.kill('SIGSTOP');
    let peak = 0;
    let requests = 0;
    let answered = 0;
    const end = Date.now() + stallS * 1000;
    while (Date.now() < end) {
      peak = Math.max(peak, rssMb(dyno.pid!));
      requests++;
      if (await get(port)) answered++;
      await new Promise((r) => setTimeout(r, 250));
    }
    reader.kill('SIGCONT');
    await new Promise((r) => setTimeout(r, 1000));
    dyno.kill('SIGINT');
    await exited(dyno);
    await exited(reader);
    const { lines, mangled } = JSON.parse(report.trim().split('\n').pop() ?? '{}') as { lines: number; mangled: number };
    return { stallS, peakRssMb: peak, requests, answered, lines, mangled };
  } finally {
    dyno.kill('SIGKILL');
    reader.kill('SIGCONT');
    reader.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
