// `npm test`: every stage runs and reports even when an earlier one failed; the exit status is 1 if any failed.
//   typecheck → executables (bundle + dist/dyno-linux-{x64,arm64}) → unit + e2e → e2e again against the x64 executable
// Every test has 5 min; a file whose tests are done but left a handle open exits anyway (--test-force-exit).
// Tests needing a system engine skip with one line naming its Debian package (fail under CI=true).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

function testFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(full));
    else if (entry.name.endsWith('.test.ts')) out.push(path.relative(root, full));
  }
  return out.sort();
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const STAGES = [
  ['typecheck', npm, ['run', 'typecheck', '--silent']],
  ['build (bundle and executables)', npm, ['run', 'build:binary', '--silent']],
  ['unit + e2e', process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=300000', '--test-force-exit', ...testFiles('test')]],
  ['e2e against dist/dyno-linux-x64', npm, ['run', 'test:binary', '--silent']],
];

// A stage that runs past this has hung (a whole run takes about 6 min on 2 cores): it fails instead of eating CI's time.
const STAGE_TIMEOUT_MS = 30 * 60_000;

const results = [];
for (const [name, command, args] of STAGES) {
  process.stdout.write(`\n== npm test: ${name}\n`);
  const started = Date.now();
  const r = spawnSync(command, args, { stdio: 'inherit', timeout: STAGE_TIMEOUT_MS, killSignal: 'SIGTERM' });
  const ok = r.status === 0;
  results.push({ name, ok, seconds: (Date.now() - started) / 1000, why: r.error?.code === 'ETIMEDOUT' ? `still running after ${STAGE_TIMEOUT_MS / 60_000} min, stopped` : r.error ? r.error.message : r.signal ? `killed by ${r.signal}` : `exit ${r.status}` });
}
process.stdout.write('\n== npm test: summary\n');
for (const r of results) process.stdout.write(`${r.ok ? '✔' : '✖'} ${r.name} (${r.seconds.toFixed(1)} s)${r.ok ? '' : `: ${r.why}`}\n`);
const failed = results.filter((r) => !r.ok).length;
process.stdout.write(failed ? `${failed} of ${results.length} stages failed\n` : `all ${results.length} stages passed\n`);
process.exitCode = failed ? 1 : 0;
