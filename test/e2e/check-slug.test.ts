// dyno check --slug: what a push from HEAD would lack or carry, found before pushing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDynoToEnd } from '../helpers/run-dyno.js';
import { gitApp } from '../helpers/git-app.js';

const lock = (deps: Record<string, string>): string =>
  JSON.stringify({ name: 'a', version: '1.0.0', lockfileVersion: 3, packages: { '': { name: 'a', version: '1.0.0', dependencies: deps } } });

test('check --slug: a Procfile program that is untracked or git-ignored is an error naming it', async () => {
  const app = gitApp({ Procfile: 'web: node server.js\nworker: bin/worker\n', '.gitignore': 'server.js\n' }, { 'server.js': '', 'bin/worker': '' });
  try {
    const r = await runDynoToEnd(['check', '--slug'], { cwd: app.dir });
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /Procfile:1:1: error: web runs server\.js, which is git-ignored in [0-9a-f]{7}: a push would not deploy it\n/);
    assert.match(r.stdout, /Procfile:2:1: error: worker runs bin\/worker, which is not committed in [0-9a-f]{7}: a push would not deploy it\n  hint: git add bin\/worker && git commit\n/);
  } finally {
    app.cleanup();
  }
});

test('check --slug: a lockfile out of date with package.json is an error; a committed .env is a warning; all fine is valid', async () => {
  const app = gitApp({ Procfile: 'web: node server.js\n', 'server.js': '', 'package.json': JSON.stringify({ name: 'a', version: '1.0.0', dependencies: { left: '^1.0.0' } }), 'package-lock.json': lock({}), '.env': 'SECRET=1\n' });
  try {
    const r = await runDynoToEnd(['check', '--slug'], { cwd: app.dir });
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /package-lock\.json: error: package-lock\.json in [0-9a-f]{7} is out of date with package\.json \(left\): `npm ci` fails the build\n/);
    assert.match(r.stdout, /\.env: warning: git tracks this env file/);
    app.commit({ 'package-lock.json': lock({ left: '^1.0.0' }), '.env': null });
    const ok = await runDynoToEnd(['check', '--slug'], { cwd: app.dir });
    assert.equal(ok.code, 0, ok.stdout);
    assert.match(ok.stdout, /^valid Procfile: web \(1 process type\)\n/);
  } finally {
    app.cleanup();
  }
});

test('check --slug: package.json without a lockfile is a warning', async () => {
  const app = gitApp({ Procfile: 'web: npm start\n', 'package.json': '{"name":"a"}' });
  try {
    const r = await runDynoToEnd(['check', '--slug'], { cwd: app.dir });
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /package\.json: warning: no lockfile in [0-9a-f]{7}: Heroku runs `npm install`/);
  } finally {
    app.cleanup();
  }
});
