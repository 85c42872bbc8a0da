// dyno start end to end: the built CLI on temp apps, real processes, real sockets; nothing may survive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { tempApp } from '../helpers/temp-app.js';
import { runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { assertNoSurvivors, survivors, uniqueMarker } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';
import { httpGet as get } from '../helpers/http-get.js';
import { basePortFor, fixture } from '../helpers/fixture.js';

test('starts web and worker, routes HTTP with Heroku headers, stops everything on SIGINT with exit 0', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(1);
  const app = tempApp({ Procfile: `web: ${fixture('web', marker)}\nworker: ${fixture('forever', marker)}\n` });
  try {
    const run = runDyno(['start', '-p', String(port), '--timeout', '2'], { cwd: app.dir });
    await run.waitForLine(/web\.1 +\* State changed from starting to up/);
    await run.waitForLine(/worker\.1 +\| READY/);
    const res = await get(port);
    assert.equal(res.status, 200);
    assert.equal(res.body, 'hello from web.1\n');
    await run.waitForLine(/router +\* at=info method=GET path="\/" .* dyno=web\.1 .*status=200/);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
    assert.ok(run.lines.some((l) => /Stopping all processes with SIGTERM/.test(l)), run.stdout());
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('gives every dyno DYNO, PS, FOREMAN_WORKER_NAME and its own PORT, overriding stale inherited values', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(2);
  const show = `echo "$DYNO $PS $FOREMAN_WORKER_NAME $PORT"; exec ${fixture('forever', marker)}`;
  const app = tempApp({ Procfile: `web: ${fixture('web', marker)}\nworker: ${show}\n` });
  try {
    const run = runDyno(['start', 'web=1', 'worker=2', '-p', String(port), '--timeout', '1'], {
      cwd: app.dir,
      env: { DYNO: 'stale', FOREMAN_WORKER_NAME: 'stale', PS: 'stale' },
    });
    await run.waitForLine(/worker\.1 +\| worker\.1 worker\.1 worker\.1 \d+/);
    await run.waitForLine(/worker\.2 +\| worker\.2 worker\.2 worker\.2 \d+/);
    const w1 = run.lines.find((l) => /worker\.1 +\| worker\.1/.test(l))!;
    const w2 = run.lines.find((l) => /worker\.2 +\| worker\.2/.test(l))!;
    assert.equal(Number(w1.split(' ').pop()), port + 101);
    assert.equal(Number(w2.split(' ').pop()), port + 102);
    run.signal('SIGTERM');
    assert.equal(await run.exit, 0);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('bad formation: names the token, exits 2, starts nothing (foreman hangs, nf exits 0)', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `web: ${fixture('forever', marker)}\n` });
  try {
    for (const args of [['nosuch=1'], ['web=abc'], ['-m', 'web=-1'], ['web=101']]) {
      const { code, stderr, stdout } = await runDynoToEnd(['start', ...args], { cwd: app.dir });
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.match(stderr, /^dyno: .*(nosuch|abc|-1|101)/m);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
      assert.equal(stdout, '');
      assert.deepEqual(survivors(marker), []);
    }
  } finally {
    app.cleanup();
  }
});

test('a port already in use stops dyno before it starts anything', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(3);
  const blocker = http.createServer().listen(port + 1, '127.0.0.1');
  await new Promise((r) => blocker.once('listening', r));
  const app = tempApp({ Procfile: `web: ${fixture('web', marker)}\n` });
  try {
    const { code, stderr } = await runDynoToEnd(['start', '-p', String(port)], { cwd: app.dir });
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`dyno: port ${port + 1} already in use`));
    assert.deepEqual(survivors(marker), []);
  } finally {
    blocker.close();
    app.cleanup();
  }
});

test('the router port in use: exit 1 naming it, nothing left running, and the app can start again', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(10);
  const blocker = http.createServer().listen(port, '127.0.0.1');
  await new Promise((r) => blocker.once('listening', r));
  const app = tempApp({ Procfile: `web: ${fixture('web', marker)}\nworker: ${fixture('forever', marker)}\n` });
  try {
    const { code, stderr } = await runDynoToEnd(['start', '-p', String(port)], { cwd: app.dir });
    assert.equal(code, 1, stderr);
    assert.match(stderr, new RegExp(`^dyno: .*${port}.*in use`, 'm'));
    assert.deepEqual(survivors(marker), []);
    blocker.close();
    const again = runDyno(['start', '-p', String(port), '--timeout', '1'], { cwd: app.dir });
    await again.waitForLine(/worker\.1 +\| READY/);
    again.signal('SIGINT');
    assert.equal(await again.exit, 0);
  } finally {
    blocker.close();
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('--no-restart: the first dyno to exit stops the formation and dyno exits with its code', async () => {
  const marker = uniqueMarker();
  const app = tempApp({
    Procfile: `worker: ${fixture('forever', marker)}\ncrasher: EXIT_CODE=7 CRASH_AFTER_MS=100 ${fixture('crash-after', marker)}\n`,
  });
  try {
    const { code, stdout } = await runDynoToEnd(['start', '--no-restart', '--no-router', '--timeout', '1', '-p', String(basePortFor(4))], { cwd: app.dir });
    assert.equal(code, 7, stdout);
    assert.match(stdout, /crasher\.1 +\* Process exited with status 7/);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('a crashed dyno restarts at once with Heroku lifecycle lines', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `crasher: CRASH_AFTER_MS=50 ${fixture('crash-after', marker)}\n` });
  try {
    const run = runDyno(['start', '--no-router', '--timeout', '1', '--backoff', '5s,10s', '-p', String(basePortFor(5))], { cwd: app.dir });
    await run.waitForLine(/crasher\.1 +\* State changed from crashed to starting/);
    const text = run.stdout();
    const order = ['Starting process with command', 'Process exited with status 1', 'State changed from up to crashed', 'State changed from crashed to starting'];
    let at = -1;
    for (const needle of order) {
      const next = text.indexOf(needle, at + 1);
      assert.ok(next > at, `${needle} after the previous line:\n${text}`);
      at = next;
    }
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('no orphans: grandchildren, double forks, setsid children and TERM-ignoring processes all die', async () => {
  const marker = uniqueMarker();
  const app = tempApp({
    Procfile: [
      `tree: ${fixture('grandchild', marker)}`,
      `setsid: GRANDCHILD_SETSID=1 ${fixture('grandchild', marker)}`,
      `daemon: (${fixture('forever', marker)} &) ; ${fixture('forever', marker)}`,
      `stubborn: ${fixture('ignore-term', marker)}`,
      '',
    ].join('\n'),
  });
  try {
    const run = runDyno(['start', '--no-router', '--timeout', '0.3', '-p', String(basePortFor(6))], { cwd: app.dir });
    await waitFor(() => run.lines.filter((l) => /\| READY/.test(l)).length >= 5, { what: () => `five READY lines; got:\n${run.stdout()}${run.stderr()}`, timeoutMs: 10_000 });
    assert.ok(survivors(marker).length >= 7, `expected the whole tree alive, got ${survivors(marker).length}`);
    run.signal('SIGTERM');
    const code = await run.exit;
    assert.match(run.stdout(), /Error R12 \(Exit timeout\)/);
    assert.equal(code, 143, 'a stop that needed SIGKILL exits 128+TERM');
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('dyno killed with SIGKILL: the watchdog kills every dyno it started', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `tree: ${fixture('grandchild', marker)}\nworker: ${fixture('forever', marker)}\n` });
  try {
    const run = runDyno(['start', '--no-router', '-p', String(basePortFor(7))], { cwd: app.dir });
    await waitFor(() => run.lines.filter((l) => /\| READY/.test(l)).length >= 2, { what: () => `two READY lines; got:\n${run.stdout()}${run.stderr()}` });
    run.signal('SIGKILL');
    await run.exit;
  } finally {
    await assertNoSurvivors(marker, 5000);
    app.cleanup();
  }
});

test('a second Ctrl-C kills at once instead of waiting for the grace period', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `stubborn: ${fixture('ignore-term', marker)}\n` });
  try {
    const run = runDyno(['start', '--no-router', '--timeout', '60', '-p', String(basePortFor(8))], { cwd: app.dir });
    await run.waitForLine(/\| READY/);
    run.signal('SIGINT');
    await run.waitForLine(/IGNORED SIGTERM/);
    const t0 = Date.now();
    run.signal('SIGINT');
    await run.exit;
    assert.ok(Date.now() - t0 < 5000, 'second Ctrl-C did not wait for the 60 s grace');
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('SIGUSR1 and SIGUSR2 reach every dyno', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `a: ${fixture('forever', marker)}\nb: ${fixture('forever', marker)}\n` });
  try {
    const run = runDyno(['start', '--no-router', '--timeout', '1', '-p', String(basePortFor(9))], { cwd: app.dir });
    await waitFor(() => run.lines.filter((l) => /\| READY/.test(l)).length >= 2, { what: () => `two READY lines; got:\n${run.stdout()}${run.stderr()}` });
    run.signal('SIGUSR1');
    await run.waitForLine(/a\.1 +\| GOT SIGUSR1/);
    await run.waitForLine(/b\.1 +\| GOT SIGUSR1/);
    run.signal('SIGUSR2');
    await run.waitForLine(/b\.1 +\| GOT SIGUSR2/);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});
