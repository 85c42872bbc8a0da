// --ephemeral end to end: each dyno run writes to its own throw-away copy of the app directory
// (overlay mode), or, forced into the fallback, dyno reports what was written (report-only mode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { dynoBin, runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { tempApp } from '../helpers/temp-app.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { httpGet } from '../helpers/http-get.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { probeOverlay } from '../../src/ephemeral/probe-overlay.js';

const overlay = probeOverlay({ bases: ['/dev/shm', '/tmp'], platform: process.platform, uid: process.getuid!(), gid: process.getgid!() });
const noOverlay = overlay.mode === 'overlay' ? false : `no overlay here: ${overlay.reason}`;

test('overlay: a file web.1 writes is invisible to web.2 and to the app dir, gone after dyno restart web.1, and named in the lost-files line', { skip: noOverlay }, async () => {
  const marker = uniqueMarker();
  const port = basePortFor(141);
  const app = tempApp({ Procfile: `web: ${fixture('files-web', marker)}\n`, 'kept.txt': 'committed\n' });
  const run = runDyno(['start', 'web=2', '-p', String(port), '--timeout', '2', '--ephemeral'], { cwd: app.dir });
  try {
    await run.waitForLine(/--ephemeral: each dyno run gets its own copy-on-write app directory/);
    await run.waitForLine(/web\.1 +\* State changed from starting to up/);
    await run.waitForLine(/web\.2 +\* State changed from starting to up/);
    assert.equal((await httpGet(port + 1, '/write?f=uploads/a.png')).body, 'written\n');
    assert.equal((await httpGet(port + 1, '/read?f=uploads/a.png')).body, 'web.1');
    assert.equal((await httpGet(port + 1, '/read?f=kept.txt')).body, 'committed\n', 'the app dir shows through');
    assert.equal((await httpGet(port + 2, '/read?f=uploads/a.png')).status, 404, 'web.2 does not see it');
    assert.equal(fs.existsSync(app.file('uploads')), false, 'the real app dir is unchanged');

    const restart = await runDynoToEnd(['restart', 'web.1'], { cwd: app.dir });
    assert.equal(restart.code, 0, restart.stderr);
    await run.waitForLine(/web\.1: 1 file written during this run is lost on Heroku: uploads\/a\.png$/);
    assert.equal((await httpGet(port + 1, '/read?f=uploads/a.png')).status, 404, 'gone after the restart');
    run.signal('SIGINT');
    assert.equal(await run.exit, 0, run.stderr());
    assert.deepEqual(fs.readdirSync(app.dir).sort(), ['.dyno', 'Procfile', 'kept.txt'].filter((f) => fs.existsSync(app.file(f))));
    assert.deepEqual(fs.readdirSync('/dev/shm').filter((f) => f.startsWith('dyno-web.')), [], 'upper dirs removed');
  } finally {
    run.signal('SIGKILL');
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('report-only (forced): says so at start, and the end of each run names the files written under the app root', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(142);
  const app = tempApp({ Procfile: `web: ${fixture('files-web', marker)}\n` });
  const run = runDyno(['start', 'web=1', '-p', String(port), '--timeout', '2', '--ephemeral', '--ephemeral-mode', 'report-only'], { cwd: app.dir });
  try {
    await run.waitForLine(/--ephemeral: report-only, because --ephemeral report-only was asked for: dynos are NOT isolated/);
    await run.waitForLine(/web\.1 +\* State changed from starting to up/);
    await httpGet(port + 1, '/write?f=db.sqlite3');
    await httpGet(port + 1, '/write?f=uploads/b.png');
    run.signal('SIGINT');
    assert.equal(await run.exit, 0, run.stderr());
    assert.match(run.stdout(), /web\.1: 2 files written during this run are lost on Heroku: db\.sqlite3, uploads\/b\.png\n/);
  } finally {
    run.signal('SIGKILL');
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('dyno run --ephemeral: the one-off dyno writes to its own copy, reported on stderr', { skip: noOverlay }, async () => {
  const app = tempApp({ Procfile: 'web: true\n' });
  try {
    const r = await runDynoToEnd(['run', '--ephemeral', 'echo hi > notes.txt && cat notes.txt'], { cwd: app.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hi\n');
    assert.match(r.stderr, /dyno: run\.\d+: 1 file written during this run is lost on Heroku: notes\.txt\n/);
    assert.equal(fs.existsSync(app.file('notes.txt')), false);
  } finally {
    app.cleanup();
  }
});

const asRoot = process.getuid?.() === 0 && fs.existsSync('/usr/bin/setpriv') && dynoBin.endsWith('.cjs');
test('dyno run --ephemeral as an unprivileged user: rootless overlay (user namespaces), the command keeps its uid', { skip: asRoot ? false : 'needs root to become nobody with setpriv' }, async () => {
  const app = tempApp({ Procfile: 'web: true\n' });
  try {
    fs.chownSync(app.dir, 65534, 65534);
    const argv = ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, dynoBin, 'run', '--ephemeral', 'id -u && echo hi > notes.txt'];
    const r = spawnSync('setpriv', argv, { cwd: app.dir, encoding: 'utf8', env: { ...process.env, HOME: app.dir, NODE_OPTIONS: undefined } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '65534\n');
    assert.match(r.stderr, /because the user \+ mount namespace \+ overlayfs trial on \S+ passed/);
    assert.match(r.stderr, /run\.\d+: 1 file written during this run is lost on Heroku: notes\.txt/);
    assert.equal(fs.existsSync(app.file('notes.txt')), false);
  } finally {
    app.cleanup();
  }
});
