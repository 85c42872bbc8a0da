// The npm package as a user gets it: `npm pack` (prepack builds the bundle) in a copy of the project,
// `npm i -g` of the tarball into a temporary prefix, then the installed `dyno` (its shebang, its run bit)
// runs `--version`, `check` and a short `start` of the example app, stopped with Ctrl-C, nothing left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { basePortFor } from '../helpers/fixture.js';
import { exampleDir } from '../helpers/example-app.js';
import { httpGet } from '../helpers/http-get.js';
import { projectRoot } from '../helpers/run-dyno.js';
import { survivorsIn } from '../helpers/survivors.js';
import { tempApp } from '../helpers/temp-app.js';
import { waitFor } from '../helpers/wait-for.js';

const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
  name: string; version: string; files: string[]; bin: Record<string, string>; dependencies?: Record<string, string>;
};
// A user's PATH: the installed bin first, Node's directory (the user has Node), the system.
const nodeDir = path.dirname(process.execPath);
const npmEnv = (prefix: string): NodeJS.ProcessEnv => ({ ...process.env, npm_config_prefix: undefined, NODE_OPTIONS: undefined, PATH: `${prefix}/bin:${nodeDir}:/usr/bin:/bin` });

// npm pack in a copy of what the package is built from (so the project's own dist/ is never rebuilt
// under the other tests' feet); returns the tarball's path and npm's report.
function packCopy(dir: string): { tarball: string; files: string[]; size: number } {
  const src = path.join(dir, 'src-copy');
  fs.mkdirSync(src);
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'README.md', 'LICENSE', 'src', 'scripts']) {
    fs.cpSync(path.join(projectRoot, entry), path.join(src, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(projectRoot, 'node_modules'), path.join(src, 'node_modules'));
  const r = spawnSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: src, encoding: 'utf8', env: npmEnv(dir) });
  assert.equal(r.status, 0, r.stderr);
  const [report] = JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Array<{ filename: string; size: number; files: Array<{ path: string; mode: number }> }>;
  const bin = report!.files.find((f) => f.path === pkg.bin.dyno);
  assert.ok(bin && (bin.mode & 0o111) !== 0, `${pkg.bin.dyno} is in the tarball with its run bit`);
  return { tarball: path.join(dir, report!.filename), files: report!.files.map((f) => f.path).sort(), size: report!.size };
}

test('package.json: a registry name, not private, the bundle as the `dyno` bin, nothing to install at run time', () => {
  assert.notEqual(pkg.name, 'dyno', '`dyno` is taken on the registry by an unrelated package');
  assert.equal((pkg as { private?: boolean }).private, undefined);
  assert.deepEqual(pkg.bin, { dyno: 'dist/dyno.cjs' });
  assert.deepEqual(pkg.dependencies ?? {}, {}, 'everything is bundled into dist/dyno.cjs and its chunks');
});

test('npm pack → npm i -g: the installed dyno prints its version, checks the example app, starts it and stops with nothing left', { timeout: 180_000 }, async () => {
  const t = tempApp();
  const port = basePortFor(91);
  try {
    const packed = packCopy(t.dir);
    // dist/dyno.cjs and the chunks it requires on demand (scripts/build.mjs), named by their content's hash
    const chunks = packed.files.filter((f) => /^dist\/dyno-[A-Z0-9]+\.cjs$/.test(f));
    assert.ok(chunks.length > 0, 'the chunks are packed');
    assert.deepEqual(packed.files.filter((f) => !chunks.includes(f)), ['LICENSE', 'README.md', 'dist/dyno.cjs', 'package.json']);
    assert.ok(packed.size < 1_000_000, `tarball is ${packed.size} bytes`);
    const prefix = path.join(t.dir, 'prefix');
    const install = spawnSync('npm', ['i', '-g', '--prefix', prefix, '--no-audit', '--no-fund', packed.tarball], { cwd: t.dir, encoding: 'utf8', env: npmEnv(prefix) });
    assert.equal(install.status, 0, install.stderr);
    const dyno = path.join(prefix, 'bin/dyno');
    assert.equal(fs.readFileSync(dyno, 'utf8').split('\n')[0], '#!/usr/bin/env node');

    const env = { PATH: `${prefix}/bin:${nodeDir}:/usr/bin:/bin`, HOME: t.dir };
    const version = spawnSync('dyno', ['--version'], { cwd: t.dir, encoding: 'utf8', env });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), pkg.version);

    const app = path.join(t.dir, 'app');
    fs.cpSync(exampleDir, app, { recursive: true, filter: (s) => path.basename(s) !== '.dyno' });
    const check = spawnSync('dyno', ['check'], { cwd: app, encoding: 'utf8', env });
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /valid Procfile: web, worker, clock/);

    const child = spawn('dyno', ['start', 'web=1', 'worker=1', '-p', String(port), '-t', '1'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const body = await waitFor(() => httpGet(port).then((r) => (r.status === 200 ? r.body : undefined), () => undefined), { timeoutMs: 15_000, what: () => `the router on ${port}\n${out}` });
      assert.match(body, /^Hello from dyno, this is web\.1 /);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0, out);
    await waitFor(() => survivorsIn(app).length === 0, { timeoutMs: 5000, what: () => `no dyno left (${survivorsIn(app).join(', ')})` });
  } finally {
    t.cleanup();
  }
});
