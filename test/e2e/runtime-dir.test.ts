// The private runtime directory (issue 11), attacked by a second real user: a pre-created
// $TMPDIR/dyno-<uid>/ (mode 0777, the attacker's) holding a listening socket and a planted dashboard
// token. dyno start refuses it with one line and starts nothing; dyno scale refuses it rather than
// send the owner's request to the attacker. With XDG_RUNTIME_DIR the socket and token live in
// $XDG_RUNTIME_DIR/dyno/, clients find them from the app directory, and the other user cannot connect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { tempApp } from '../helpers/temp-app.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { assertNoSurvivors, survivors, uniqueMarker } from '../helpers/survivors.js';
import { secondUser, type SecondUser } from '../helpers/second-user.js';
import { waitFor } from '../helpers/wait-for.js';
import { socketPathsFor } from '../../src/control/socket-path.js';
import { dashboardTokenPath } from '../../src/dashboard/dashboard-token.js';

const user = secondUser();
const skip = typeof user === 'string' ? (process.env.CI === 'true' ? false : `skipped: ${user}`) : false;

// The attacker's socket server: records every connection and byte it gets on stdout.
const LISTENER = `
const net = require('net');
net.createServer((s) => { console.log('CONNECTED'); s.on('data', (d) => console.log('GOT ' + d)); }).listen(process.argv[1], () => console.log('LISTENING'));
`;

// A shared sticky world-writable temp directory, as /tmp is.
function sharedTmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-shared-tmp-'));
  fs.chmodSync(dir, 0o1777);
  return dir;
}

test('a $TMPDIR/dyno-<uid> pre-created by another user (0777, a live socket, a planted token) is refused: nothing starts, no request reaches it', { skip }, async () => {
  assert.ok(typeof user !== 'string', `${user as string} (CI=true: this test must run)`);
  const attacker = user as SecondUser;
  const marker = uniqueMarker();
  const tmp = sharedTmp();
  const app = tempApp({ Procfile: `worker: ${fixture('forever', marker)}\n`, '.dyno': 'a file, so the socket falls back to $TMPDIR' });
  const env = { TMPDIR: tmp, XDG_RUNTIME_DIR: undefined };
  const paths = socketPathsFor(app.dir, { tmpdir: tmp, runtimeDir: null, uid: 0 });
  const trap = path.dirname(paths.fallback);
  attacker.run('mkdir', ['-m', '0777', trap], tmp);
  attacker.run('sh', ['-c', `umask 0; echo ${'A'.repeat(43)} > '${dashboardTokenPath(paths.fallback)}'`], tmp);
  const listener = attacker.spawn(process.execPath, ['-e', LISTENER, paths.fallback], tmp);
  let heard = '';
  listener.stdout!.on('data', (c: Buffer) => (heard += c.toString()));
  listener.stderr!.on('data', (c: Buffer) => (heard += c.toString()));
  try {
    await waitFor(() => heard.includes('LISTENING'), { timeoutMs: 10_000, what: "the attacker's socket" });
    assert.equal(fs.statSync(trap).uid, attacker.uid);
    const refusal = `dyno: refusing ${trap}: it is owned by uid ${attacker.uid}, not by you (uid 0); remove it (dyno recreates it, mode 0700) or make it yours with mode 0700\n  hint: another local user could otherwise take over the control socket or the dashboard token\n`;

    const start = await runDynoToEnd(['start', 'worker=1', '-p', String(basePortFor(140)), '--timeout', '1'], { cwd: app.dir, env });
    assert.equal(start.code, 1, start.stderr);
    assert.equal(start.stderr, refusal);
    assert.equal(start.stdout, '', 'nothing started, nothing printed');
    assert.deepEqual(survivors(marker), []);

    const scale = await runDynoToEnd(['scale', 'worker=3'], { cwd: app.dir, env });
    assert.equal(scale.code, 1);
    assert.equal(scale.stderr, refusal);
    const dashboard = await runDynoToEnd(['dashboard', '--no-open'], { cwd: app.dir, env });
    assert.equal(dashboard.stderr, refusal);
    assert.equal(heard, 'LISTENING\n', 'the attacker never got a connection, let alone {"verb":"scale"…}');
  } finally {
    const closed = new Promise((resolve) => listener.once('close', resolve));
    if (listener.exitCode === null && listener.signalCode === null) listener.kill('SIGKILL');
    await closed;
    await assertNoSurvivors(marker);
    fs.rmSync(tmp, { recursive: true, force: true });
    app.cleanup();
  }
});

test('with XDG_RUNTIME_DIR, socket and token live in $XDG_RUNTIME_DIR/dyno (0700; 0600 files), dyno ps finds them from the app, another user cannot connect', { skip }, async () => {
  assert.ok(typeof user !== 'string', `${user as string} (CI=true: this test must run)`);
  const attacker = user as SecondUser;
  const marker = uniqueMarker();
  const runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-xdg-'));
  const app = tempApp({ Procfile: `worker: ${fixture('forever', marker)}\n` });
  const env = { XDG_RUNTIME_DIR: runtime, DISPLAY: undefined };
  const run = runDyno(['start', 'worker=1', '-p', String(basePortFor(141)), '--timeout', '1'], { cwd: app.dir, env });
  try {
    await run.waitForLine(/worker\.1 +\| READY/);
    const socket = socketPathsFor(app.dir, { runtimeDir: runtime }).runtime!;
    assert.equal(path.dirname(socket), path.join(runtime, 'dyno'));
    assert.ok(fs.lstatSync(socket).isSocket());
    assert.equal(fs.statSync(path.dirname(socket)).mode & 0o777, 0o700);
    assert.equal(fs.statSync(socket).mode & 0o777, 0o600);
    assert.equal(fs.existsSync(app.file('.dyno')), false, 'nothing in the app directory');
    const ps = await runDynoToEnd(['ps'], { cwd: app.dir, env });
    assert.match(ps.stdout, /^worker\.1 +up /m, ps.stderr);
    const url = await runDynoToEnd(['dashboard', '--no-open'], { cwd: app.dir, env });
    assert.match(url.stdout, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}\n$/, url.stderr);
    const token = dashboardTokenPath(socket);
    assert.equal(fs.readFileSync(token, 'utf8').trim(), new URL(url.stdout.trim()).searchParams.get('token'));
    assert.equal(fs.statSync(token).mode & 0o777, 0o600);
    fs.chmodSync(runtime, 0o755); // even with the parent open, the 0700 directory keeps the other user out
    const probe = `require('net').connect(process.argv[1]).on('connect', () => console.log('CONNECTED')).on('error', (e) => console.log(e.code))`;
    assert.equal(attacker.run(process.execPath, ['-e', probe, socket], '/').trim(), 'EACCES');
    run.signal('SIGINT');
    assert.equal(await run.exit, 0, run.stderr());
    assert.equal(fs.existsSync(socket), false, 'a clean exit removes the socket');
  } finally {
    run.signal('SIGINT');
    await run.exit;
    await assertNoSurvivors(marker);
    fs.rmSync(runtime, { recursive: true, force: true });
    app.cleanup();
  }
});
