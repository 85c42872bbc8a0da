// The control socket's life: nothing running, a second dyno start refused, a stale socket replaced,
// an unknown verb answered with an error, and a root too long for a socket path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { tempApp } from '../helpers/temp-app.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { assertNoSurvivors, survivors, uniqueMarker } from '../helpers/survivors.js';
import { socketPathsFor } from '../../src/control/socket-path.js';

// One raw line to the socket; resolves with the first reply line, parsed.
function rawRequest(file: string, text: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const socket = net.connect(file, () => socket.write(text));
    socket.on('data', (c) => {
      buf += c.toString();
      if (buf.includes('\n')) {
        socket.destroy();
        resolve(JSON.parse(buf.slice(0, buf.indexOf('\n'))) as Record<string, unknown>);
      }
    });
    socket.on('error', reject);
  });
}

test('a client with nothing running exits 1 with a clear message and hint', async () => {
  const app = tempApp({ Procfile: 'web: true\n' });
  try {
    for (const args of [['ps'], ['scale', 'web=2'], ['logs'], ['restart'], ['stop', 'web']]) {
      const r = await runDynoToEnd(args, { cwd: app.dir });
      assert.equal(r.code, 1, `${args[0]}: ${r.stderr}`);
      assert.equal(r.stderr, `dyno: no dyno start is running for ${app.dir}\n  hint: start the app with \`dyno start\` there, or point at it with -d <dir>\n`);
    }
    const dynoAsDir = await runDynoToEnd(['logs', '-d', 'web.1'], { cwd: app.dir });
    assert.match(dynoAsDir.stderr, /hint: -d is the app directory \(as for dyno start\); to pick a dyno, use --dyno web\.1/);
  } finally {
    app.cleanup();
  }
});

test('a second dyno start of the same app is refused before anything starts; -d reaches the first; an unknown verb gets an error reply', async () => {
  const first = uniqueMarker();
  const second = uniqueMarker();
  const app = tempApp({ Procfile: `web: ${fixture('web', '$MARK')}\n` });
  const run = runDyno(['start', '-p', String(basePortFor(56)), '--timeout', '1'], { cwd: app.dir, env: { MARK: first } });
  try {
    await run.waitForLine(/web\.1 +\* State changed from starting to up/);
    const again = await runDynoToEnd(['start', '-p', String(basePortFor(57)), '--timeout', '1'], { cwd: app.dir, env: { MARK: second } });
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`^dyno: dyno start is already running for ${app.dir} \\(pid ${run.pid}\\)\\n  hint: stop it first`));
    assert.equal(again.stdout, '', 'nothing started, nothing printed');
    assert.deepEqual(survivors(second), []);
    const socket = path.join(app.dir, '.dyno', 'control.sock');
    assert.equal(fs.statSync(socket).mode & 0o777, 0o600, 'only the user can open the socket');
    const elsewhere = await runDynoToEnd(['ps', '-d', app.dir], { cwd: '/' });
    assert.match(elsewhere.stdout, /^web\.1 +up /m);
    const reply = await rawRequest(socket, '{"v":1,"id":9,"verb":"reboot-the-world"}\n');
    assert.deepEqual(reply, { v: 1, id: 9, ok: false, error: { code: 'CONTROL_PROTOCOL', message: 'unknown verb "reboot-the-world"', hint: 'known verbs: hello, ps, scale, restart, stop, logs, dashboard, releases, rollback, stats, load-report, connect, input, one-off' } });
  } finally {
    run.signal('SIGINT');
    assert.equal(await run.exit, 0, `${run.stdout()}${run.stderr()}`);
    await assertNoSurvivors(first);
    app.cleanup();
  }
});

test('a socket left by a SIGKILLed dyno start: clients say so, the next dyno start replaces it', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(58);
  const app = tempApp({ Procfile: `worker: ${fixture('forever', marker)}\n` });
  const socket = path.join(app.dir, '.dyno', 'control.sock');
  const killed = runDyno(['start', '-p', String(port), '--timeout', '1'], { cwd: app.dir });
  let next: ReturnType<typeof runDyno> | undefined;
  try {
    await killed.waitForLine(/worker\.1 +\| READY/);
    killed.signal('SIGKILL');
    await killed.exit;
    await assertNoSurvivors(marker, 5000); // the watchdog takes the dynos down
    assert.ok(fs.lstatSync(socket).isSocket(), 'the killed dyno start left its socket');
    const ps = await runDynoToEnd(['ps'], { cwd: app.dir });
    assert.equal(ps.code, 1);
    assert.match(ps.stderr, /^dyno: no dyno start is running for .* \(its socket is left over from one that was killed\)/);
    next = runDyno(['start', '-p', String(port), '--timeout', '1'], { cwd: app.dir });
    await next.waitForLine(/worker\.1 +\| READY/);
    const again = await runDynoToEnd(['ps'], { cwd: app.dir });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^worker\.1 +up /m);
    next.signal('SIGINT');
    assert.equal(await next.exit, 0);
    assert.equal(fs.existsSync(socket), false, 'a clean exit removes the socket');
  } finally {
    next?.signal('SIGINT');
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('an app root too deep for a Unix socket path uses the temp-dir socket, and clients find it', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ [`${'d'.repeat(70)}/${'e'.repeat(40)}/Procfile`]: `worker: ${fixture('forever', marker)}\n` });
  const root = path.join(app.dir, 'd'.repeat(70), 'e'.repeat(40));
  const run = runDyno(['start', '-p', String(basePortFor(59)), '--timeout', '1'], { cwd: root });
  try {
    await run.waitForLine(/worker\.1 +\| READY/);
    const paths = socketPathsFor(root);
    assert.equal(paths.primary, null);
    assert.ok(fs.lstatSync(paths.fallback).isSocket());
    const ps = await runDynoToEnd(['ps', '-f', path.join(root, 'Procfile')], { cwd: app.dir });
    assert.match(ps.stdout, /^worker\.1 +up /m);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
    assert.equal(fs.existsSync(paths.fallback), false);
  } finally {
    run.signal('SIGINT');
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});
