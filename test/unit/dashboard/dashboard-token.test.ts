// The dashboard token file: written 0600 in the private socket directory; the previous run's token is
// accepted only from a file dyno wrote (the user's, mode 0600, not a symlink, in a 0700 directory).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { loadDashboardTokens } from '../../../src/dashboard/dashboard-token.js';
import { currentUid } from '../../../src/control/private-dir.js';
import { DynoError } from '../../../src/core/errors.js';
import { tempApp } from '../../helpers/temp-app.js';

const PLANTED = 'p'.repeat(43);

// A private directory with a token file prepared by `plant`; returns what loading it gives.
function load(plant: (file: string) => void): string[] | DynoError {
  const app = tempApp();
  try {
    fs.mkdirSync(app.file('run'), { mode: 0o700 });
    const file = app.file('run/x.dashboard-token');
    plant(file);
    try {
      return loadDashboardTokens(file);
    } catch (err) {
      if (err instanceof DynoError) return err;
      throw err;
    }
  } finally {
    app.cleanup();
  }
}

test('the first run writes a fresh token 0600; the next run accepts the previous one too', () => {
  const app = tempApp();
  try {
    fs.mkdirSync(app.file('run'), { mode: 0o700 });
    const file = app.file('run/x.dashboard-token');
    const [first, ...none] = loadDashboardTokens(file);
    assert.deepEqual(none, []);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.readFileSync(file, 'utf8'), `${first}\n`);
    const second = loadDashboardTokens(file);
    assert.equal(second.length, 2);
    assert.equal(second[1], first);
    assert.notEqual(second[0], first);
  } finally {
    app.cleanup();
  }
});

const refused: Array<{ name: string; plant: (file: string) => void; why: RegExp }> = [
  { name: 'a token file with mode 0644', plant: (f) => fs.writeFileSync(f, PLANTED, { mode: 0o644 }), why: /has mode 0644, not 0600/ },
  { name: 'a symlink to a token file', plant: (f) => (fs.writeFileSync(`${f}.real`, PLANTED, { mode: 0o600 }), fs.symlinkSync(`${f}.real`, f)), why: /is a symbolic link/ },
  { name: 'a directory in its place', plant: (f) => fs.mkdirSync(f), why: /is not a file/ },
  { name: 'a FIFO in its place (read without blocking)', plant: (f) => execFileSync('mkfifo', ['-m', '600', f]), why: /is not a file/ },
];
if (currentUid() === 0) {
  refused.push({ name: "another user's token file", plant: (f) => (fs.writeFileSync(f, PLANTED, { mode: 0o600 }), fs.chownSync(f, 65534, 65534)), why: /owned by uid 65534/ });
}

for (const row of refused) {
  test(`${row.name} is refused with one line naming it, and its token is never accepted`, () => {
    const result = load(row.plant);
    assert.ok(result instanceof DynoError, `accepted: ${JSON.stringify(result)}`);
    assert.equal(result.code, 'UNSAFE_PATH');
    assert.match(result.message, /^refusing .*x\.dashboard-token: it /);
    assert.match(result.message, row.why);
  });
}

test('a token directory that is not 0700 is refused before any token is read', () => {
  const app = tempApp();
  try {
    fs.mkdirSync(app.file('run'), { mode: 0o755 });
    fs.chmodSync(app.file('run'), 0o755);
    fs.writeFileSync(app.file('run/x.dashboard-token'), PLANTED, { mode: 0o600 });
    assert.throws(() => loadDashboardTokens(app.file('run/x.dashboard-token')), (err: unknown) => err instanceof DynoError && /run: it has mode 0755/.test(err.message));
  } finally {
    app.cleanup();
  }
});

test('a file of ours with something other than a token in it is replaced, not accepted', () => {
  const result = load((f) => fs.writeFileSync(f, 'not a token\n', { mode: 0o600 }));
  assert.ok(Array.isArray(result));
  assert.equal(result.length, 1);
});
