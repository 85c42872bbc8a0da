// The single executable (dist/dyno-linux-x64, `npm run build:binary`): copied out of the project and run with
// an empty environment, no node_modules anywhere above it, and no Node for dyno itself (the example
// app's dynos get node's directory on PATH through the app's .env, as an app would).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { basePortFor } from '../helpers/fixture.js';
import { httpGet } from '../helpers/http-get.js';
import { projectRoot } from '../helpers/run-dyno.js';
import { survivorsIn } from '../helpers/survivors.js';
import { exampleDir } from '../helpers/example-app.js';
import { tempApp, type TempApp } from '../helpers/temp-app.js';
import { waitFor } from '../helpers/wait-for.js';

const binary = path.join(projectRoot, 'dist/dyno-linux-x64');

// bin/dyno and app/ (the example, with PATH for its dynos in .env) in a fresh temp dir.
function setup(): TempApp & { dyno: string; app: string } {
  assert.ok(fs.existsSync(binary), 'dist/dyno-linux-x64 is missing: run `npm run build:binary`');
  const t = tempApp();
  const dyno = path.join(t.dir, 'bin/dyno');
  fs.mkdirSync(path.dirname(dyno));
  fs.copyFileSync(binary, dyno);
  fs.chmodSync(dyno, 0o755);
  const app = path.join(t.dir, 'app');
  fs.cpSync(exampleDir, app, { recursive: true, filter: (src) => path.basename(src) !== '.dyno' });
  fs.appendFileSync(path.join(app, '.env'), `\nPATH=${path.dirname(process.execPath)}:/usr/bin:/bin\n`);
  for (let dir = t.dir; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    assert.equal(fs.existsSync(path.join(dir, 'node_modules')), false, `${dir}/node_modules exists`);
  }
  return { ...t, dyno, app };
}

// The body of GET / on 127.0.0.1:port, or undefined while nothing answers 200.
const get = (port: number): Promise<string | undefined> =>
  httpGet(port).then((r) => (r.status === 200 ? r.body : undefined), () => undefined);

// `env -i PATH=/usr/bin:/bin <copy of dyno> start …` in the app directory.
function startDyno(s: { dyno: string; app: string }, port: number): { child: ReturnType<typeof spawn>; out: () => string; exited: Promise<number | null> } {
  const child = spawn('/usr/bin/env', ['-i', 'PATH=/usr/bin:/bin', s.dyno, 'start', 'web=1', 'worker=1', '-p', String(port), '-t', '1'], { cwd: s.app, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => text, exited };
}

test('the binary prints its version with an empty environment and no warning', () => {
  const s = setup();
  try {
    const r = spawnSync('/usr/bin/env', ['-i', s.dyno, '--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+/);
    assert.equal(r.stderr, '');
  } finally {
    s.cleanup();
  }
});

test('a copy of the binary runs the example app: the router answers, Ctrl-C stops everything', async () => {
  const s = setup();
  const port = basePortFor(71);
  try {
    const run = startDyno(s, port);
    try {
      const body = await waitFor(() => get(port), { timeoutMs: 10_000, what: () => `the router on ${port}\n${run.out()}` });
      assert.match(body, /^Hello from dyno, this is web\.1 /);
      await waitFor(() => /worker\.1 +\| worker\.1 waiting for jobs/.test(run.out()), { timeoutMs: 5000, what: () => `the worker's first line\n${run.out()}` });
    } finally {
      run.child.kill('SIGINT');
    }
    assert.equal(await run.exited, 0, run.out());
    assert.doesNotMatch(run.out(), /ExperimentalWarning|Single executable/);
    await waitFor(() => survivorsIn(s.app).length === 0, { timeoutMs: 3000, what: 'no dyno left' });
  } finally {
    s.cleanup();
  }
});

test('SIGKILL to the binary: its watchdog (the binary again) leaves no dyno behind', async () => {
  const s = setup();
  const port = basePortFor(72);
  try {
    const run = startDyno(s, port);
    await waitFor(() => get(port), { timeoutMs: 10_000, what: () => `the router on ${port}\n${run.out()}` });
    // `env` execs the binary, so the child's pid is dyno's.
    run.child.kill('SIGKILL');
    await run.exited;
    await waitFor(() => survivorsIn(s.app).length === 0, { timeoutMs: 8000, what: () => `no dyno left (${survivorsIn(s.app).join(', ')})` });
  } finally {
    s.cleanup();
  }
});
