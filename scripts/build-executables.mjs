// The single executables dist/dyno-linux-x64 and dist/dyno-linux-arm64 (and dist/dyno → the x64 one),
// built from dist/dyno.cjs (`npm run build`) and the pinned Node runtime (scripts/node-runtime.mjs),
// never from the machine's own Node. `node --build-sea` of that same Node version writes each one:
//   x64:   built by the x64 runtime, with V8's code cache (faster start-up);
//   arm64: built by the same x64 runtime into the arm64 node, without code cache (a code cache is
//          CPU-specific: one made on x64 would be rejected), so building needs no emulator.
// The main script is dist/dyno.cjs; its chunks are SEA assets (scripts/chunk-require.cjs loads them).
// Each node is stripped first when a strip for its architecture exists (x64: 150 → 117 MB).
//   node scripts/build-executables.mjs [x64] [arm64]     (default: both)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_VERSION, nodeRuntime } from './node-runtime.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const bundle = path.join(dist, 'dyno.cjs');
// V8 starts the young generation at 1 MB, which `dyno check` overflows once: one scavenge, ~1.6 ms,
// and many more when the GC's helper threads wait for a busy CPU. 2 MB: none (max RSS unchanged).
const SEA_EXEC_ARGV = ['--min-semi-space-size=2'];
const STRIP = { x64: ['strip', 'x86_64-linux-gnu-strip'], arm64: ['aarch64-linux-gnu-strip'] };

function strip(arch, file) {
  for (const tool of STRIP[arch]) {
    const r = spawnSync(tool, [file], { stdio: 'ignore' });
    if (r.status === 0) return tool;
  }
  return undefined;
}

// The chunks dist/dyno.cjs requires on demand (scripts/build.mjs), embedded as SEA assets.
function chunks() {
  return fs.readdirSync(dist).filter((name) => /^dyno-.*\.cjs$/.test(name));
}

function build(arch, builder) {
  const out = path.join(dist, `dyno-linux-${arch}`);
  const base = path.join(dist, `.node-linux-${arch}`);
  const config = path.join(dist, `.sea-${arch}.json`);
  fs.copyFileSync(nodeRuntime(arch), base);
  fs.chmodSync(base, 0o755);
  const stripped = strip(arch, base);
  const assets = Object.fromEntries(chunks().map((name) => [`./${name}`, path.join(dist, name)]));
  fs.writeFileSync(config, JSON.stringify({ main: bundle, output: out, executable: base, assets, execArgv: SEA_EXEC_ARGV, disableExperimentalSEAWarning: true, useCodeCache: arch === 'x64' }));
  fs.rmSync(out, { force: true });
  try {
    execFileSync(builder, ['--build-sea', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  } finally {
    fs.rmSync(base, { force: true });
    fs.rmSync(config, { force: true });
  }
  const mb = (fs.statSync(out).size / 1e6).toFixed(1);
  process.stdout.write(`dist/dyno-linux-${arch}: ${mb} MB, Node ${NODE_VERSION}${stripped ? '' : ' (not stripped: no strip for this architecture)'}\n`);
}

const arches = process.argv.slice(2).length ? process.argv.slice(2) : ['x64', 'arm64'];
if (!fs.existsSync(bundle)) {
  process.stderr.write('dist/dyno.cjs is missing: run `npm run build` first\n');
  process.exit(1);
}
try {
  const builder = nodeRuntime('x64');
  for (const arch of arches) build(arch, builder);
  if (arches.includes('x64')) {
    fs.rmSync(path.join(dist, 'dyno'), { force: true });
    fs.symlinkSync('dyno-linux-x64', path.join(dist, 'dyno'));
  }
} catch (err) {
  process.stderr.write(`build-executables: ${err.message}\n`);
  process.exit(1);
}
