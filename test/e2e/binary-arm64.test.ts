// dist/dyno-linux-arm64 under Debian's qemu-user-static: `--version`, `check`, and a short `start` of
// the example app stopped with Ctrl-C, nothing left. dyno spawns itself (its watchdog), so the kernel
// must hand arm64 executables to qemu: the test registers qemu-aarch64 in a private binfmt_misc of its
// own user namespace (Linux ≥ 6.7; nothing changes for the rest of the machine), or uses a registration
// that already exists. Skips with the packages to install when qemu or the arm64 glibc is missing.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { basePortFor } from '../helpers/fixture.js';
import { exampleDir } from '../helpers/example-app.js';
import { httpGet } from '../helpers/http-get.js';
import { projectRoot } from '../helpers/run-dyno.js';
import { requireEngine } from '../helpers/require-engine.js';
import { survivorsIn } from '../helpers/survivors.js';
import { tempApp } from '../helpers/temp-app.js';
import { waitFor } from '../helpers/wait-for.js';

const binary = path.join(projectRoot, 'dist/dyno-linux-arm64');
const SYSROOT = '/usr/aarch64-linux-gnu';
const GLOBAL_BINFMT = '/proc/sys/fs/binfmt_misc/qemu-aarch64';
// Debian's qemu-aarch64 binfmt entry (magic and mask of an aarch64 ELF executable); F: qemu opened once, at registration.
const REGISTER = ':qemu-aarch64:M::\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/usr/bin/qemu-aarch64-static:F';
const PRIVATE_BINFMT = `mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc && printf '%b' '${REGISTER}' > /proc/sys/fs/binfmt_misc/register && exec "$@"`;

// argv prefix that runs an arm64 executable with arm64 children: a private binfmt, else the machine's, else none.
let prefix: string[] | undefined | null = null;
function emulation(): string[] | undefined {
  if (prefix !== null) return prefix;
  const sandboxed = ['unshare', '--user', '--map-root-user', '--mount', '/bin/sh', '-c', PRIVATE_BINFMT, 'sh'];
  const probe = spawnSync(sandboxed[0]!, [...sandboxed.slice(1), '/bin/true'], { stdio: 'ignore' });
  if (probe.status === 0) prefix = sandboxed;
  else if (fs.existsSync(GLOBAL_BINFMT) && fs.readFileSync(GLOBAL_BINFMT, 'utf8').startsWith('enabled')) prefix = [];
  else prefix = undefined;
  return prefix;
}

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ PATH: '/usr/bin:/bin', QEMU_LD_PREFIX: SYSROOT, ...extra });

// Engine and binfmt present (else skipped, or failed under CI=true), and the executable built.
function ready(t: TestContext): string[] | undefined {
  if (!requireEngine(t, 'qemu-aarch64')) return undefined;
  const run = emulation();
  if (!run) {
    const line = 'needs binfmt_misc for qemu-aarch64: Linux ≥ 6.7 (a private one in a user namespace) or `update-binfmts --enable qemu-aarch64`';
    if (process.env.CI === 'true') throw new Error(line);
    t.skip(line);
    return undefined;
  }
  assert.ok(fs.existsSync(binary), 'dist/dyno-linux-arm64 is missing: run `npm run build:binary`');
  return run;
}

test('the arm64 executable under qemu: --version prints the version, check accepts the example app', (t) => {
  const run = ready(t);
  if (!run) return;
  const version = spawnSync(run[0] ?? binary, [...run.slice(1), ...(run.length ? [binary] : []), '--version'], { encoding: 'utf8', env: env() });
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  assert.equal(version.stderr, '');
  const check = spawnSync(run[0] ?? binary, [...run.slice(1), ...(run.length ? [binary] : []), 'check', '-d', exampleDir], { encoding: 'utf8', env: env() });
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stdout, /valid Procfile: web, worker, clock/);
});

test('the arm64 executable under qemu runs the example app (watchdog included) and Ctrl-C leaves nothing behind', { timeout: 120_000 }, async (t) => {
  const run = ready(t);
  if (!run) return;
  const tmp = tempApp();
  const port = basePortFor(92);
  try {
    const app = path.join(tmp.dir, 'app');
    fs.cpSync(exampleDir, app, { recursive: true, filter: (s) => path.basename(s) !== '.dyno' });
    fs.appendFileSync(path.join(app, '.env'), `\nPATH=${path.dirname(process.execPath)}:/usr/bin:/bin\n`);
    const args = ['start', 'web=1', 'worker=1', '-p', String(port), '-t', '2'];
    const child = spawn(run[0] ?? binary, [...run.slice(1), ...(run.length ? [binary] : []), ...args], { cwd: app, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const body = await waitFor(() => httpGet(port).then((r) => (r.status === 200 ? r.body : undefined), () => undefined), { timeoutMs: 60_000, what: () => `the router on ${port}\n${out}` });
      assert.match(body, /^Hello from dyno, this is web\.1 /);
      await waitFor(() => /worker\.1 +\| worker\.1 waiting for jobs/.test(out), { timeoutMs: 20_000, what: () => `the worker's first line\n${out}` });
    } finally {
      // `sh -c … exec "$@"` and unshare exec too: the child's pid is dyno's.
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0, out);
    assert.doesNotMatch(out, /watchdog did not start|ExperimentalWarning/);
    await waitFor(() => survivorsIn(app).length === 0, { timeoutMs: 10_000, what: () => `no dyno left (${survivorsIn(app).join(', ')})` });
  } finally {
    tmp.cleanup();
  }
});
