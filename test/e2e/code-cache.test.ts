// The chunk loader's V8 code cache (scripts/chunk-require.cjs): kept per user in
// $XDG_CACHE_HOME/dyno/code-cache/<node version>-<arch>/, one file per chunk. A cache V8 rejects
// (corrupt, another build's) changes nothing but speed and is rewritten; caches of chunks this build
// lacks go once a week old; DYNO_NO_CODE_CACHE=1 writes nothing; a cache dir that cannot exist is no error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../helpers/run-dyno.js';
import { tempApp } from '../helpers/temp-app.js';

const bundle = path.join(projectRoot, 'dist/dyno.cjs');
const chunkNames = new Set(fs.readdirSync(path.join(projectRoot, 'dist')).filter((f) => /^dyno-[A-Z0-9]+\.cjs$/.test(f)));

function check(cwd: string, env: Record<string, string>): string {
  const r = spawnSync(process.execPath, [bundle, 'check'], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: cwd, ...env } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout;
}

test('code cache: written per chunk, a corrupt one is rewritten, stale ones go once a week old, output unchanged', () => {
  const app = tempApp({ Procfile: 'web: node server.js\nworker: node worker.js\n', '.env': 'A=1\n' });
  try {
    const env = { XDG_CACHE_HOME: app.file('cache') };
    const dir = app.file(`cache/dyno/code-cache/${process.version}-${process.arch}`);
    const first = check(app.dir, env);
    const cached = fs.readdirSync(dir);
    assert.ok(cached.length > 0, 'caches written');
    assert.deepEqual(cached.filter((f) => !chunkNames.has(f)), [], 'one file per chunk of this build');

    for (const f of cached) fs.writeFileSync(path.join(dir, f), 'not a V8 code cache');
    const old = path.join(dir, 'dyno-OLDBUILD.cjs');
    const recent = path.join(dir, 'dyno-OTHERBUILD.cjs');
    fs.writeFileSync(old, 'x');
    fs.writeFileSync(recent, 'x');
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    fs.utimesSync(old, eightDaysAgo, eightDaysAgo);

    assert.equal(check(app.dir, env), first, 'a rejected cache changes nothing but speed');
    for (const f of cached) assert.notEqual(fs.readFileSync(path.join(dir, f), 'utf8'), 'not a V8 code cache', `${f} rewritten`);
    assert.ok(!fs.existsSync(old), "a week-old cache of a chunk this build lacks is gone");
    assert.ok(fs.existsSync(recent), "another build's recent cache stays (two dynos on one Node do not evict each other at every run)");
    assert.equal(check(app.dir, env), first);
  } finally {
    app.cleanup();
  }
});

test('code cache: DYNO_NO_CODE_CACHE=1 writes nothing; a cache dir that cannot be created is no error', () => {
  const app = tempApp({ Procfile: 'web: node server.js\n', 'not-a-dir': 'a file\n' });
  try {
    const out = check(app.dir, { XDG_CACHE_HOME: app.file('cache'), DYNO_NO_CODE_CACHE: '1' });
    assert.match(out, /valid Procfile: web/);
    assert.ok(!fs.existsSync(app.file('cache')), 'nothing written');
    assert.equal(check(app.dir, { XDG_CACHE_HOME: app.file('not-a-dir') }), out);
  } finally {
    app.cleanup();
  }
});
