// dyno run end to end: one-off dynos with the app env, exit codes, pass-through options, Procfile types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempApp } from '../helpers/temp-app.js';
import os from 'node:os';
import { runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { assertNoSurvivors, survivors, uniqueMarker } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';
import { fixture } from '../helpers/fixture.js';

test('runs a shell string with the app env, DYNO=run.N, no PORT, and propagates the exit code', async () => {
  const app = tempApp({ Procfile: 'web: node server.js\n', '.env': 'GREETING=hi there\n' });
  try {
    const r = await runDynoToEnd(['run', 'echo "$GREETING|$DYNO|${PORT:-none}"; exit 3'], { cwd: app.dir, env: { PORT: '9999' } });
    assert.equal(r.code, 3);
    assert.match(r.stdout, /^hi there\|run\.\d{4}\|none\n$/);
    assert.equal(r.stderr, '');
  } finally {
    app.cleanup();
  }
});

test('options after the command belong to the command (nf run node --expose-gc fails)', async () => {
  const app = tempApp({ Procfile: 'web: x\n' });
  try {
    const r = await runDynoToEnd(['run', 'node', '-e', 'console.log(typeof gc, process.argv.length)', '--expose-gc'], { cwd: app.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'function 1\n');
  } finally {
    app.cleanup();
  }
});

test('a process type runs its Procfile command with the extra arguments appended', async () => {
  const app = tempApp({ Procfile: 'greet: echo greeting\n' });
  try {
    const r = await runDynoToEnd(['run', 'greet', "it's", '42'], { cwd: app.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "greeting it's 42\n");
  } finally {
    app.cleanup();
  }
});

test('-p sets PORT; stdin is inherited; works without a Procfile', async () => {
  const app = tempApp({});
  try {
    const r = await runDynoToEnd(['run', '-p', '6100', 'read x; echo "$x $PORT"'], { cwd: app.dir, input: 'typed\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'typed 6100\n');
  } finally {
    app.cleanup();
  }
});

test('a signal ends the one-off with 128 + signal', async () => {
  const app = tempApp({});
  try {
    const r = await runDynoToEnd(['run', 'kill -TERM $$'], { cwd: app.dir });
    assert.equal(r.code, 143);
  } finally {
    app.cleanup();
  }
});

// A one-off whose command starts a setsid'd child and a double-forked daemon, then waits in the foreground.
function detachingCommand(marker: string): string {
  return `(setsid ${fixture('forever', marker)} &); ${fixture('daemon', marker)}; ${fixture('forever', marker)}`;
}

for (const sig of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
  test(`dyno run stopped by ${sig}: the command and everything it started die, exit 128 + signal`, async () => {
    const marker = uniqueMarker();
    const app = tempApp({});
    try {
      const run = runDyno(['run', detachingCommand(marker)], { cwd: app.dir });
      await waitFor(() => run.lines.filter((l) => l === 'READY').length >= 2 && survivors(marker).length >= 3, { what: () => `two READY and a daemon; got:\n${run.stdout()}${run.stderr()}`, timeoutMs: 10_000 });
      run.signal(sig);
      assert.equal(await run.exit, 128 + os.constants.signals[sig]);
    } finally {
      await assertNoSurvivors(marker, 1000);
      app.cleanup();
    }
  });
}

test('dyno run killed with SIGKILL: its watchdog stops the command, a setsid child and a daemon', async () => {
  const marker = uniqueMarker();
  const app = tempApp({});
  try {
    const run = runDyno(['run', '--debug', detachingCommand(marker)], { cwd: app.dir });
    await waitFor(() => run.lines.filter((l) => l === 'READY').length >= 2 && /watchdog \d+ holds DYNO_RUN_ID=/.test(run.stderr()), { what: () => `READY and the watchdog; got:\n${run.stdout()}${run.stderr()}`, timeoutMs: 10_000 });
    run.signal('SIGKILL');
    await run.exit;
  } finally {
    await assertNoSurvivors(marker, 6000);
    app.cleanup();
  }
});

test('a lone command is exec\'d by bash: the one-off is the app, and leftovers of a finished command die with it', async () => {
  const marker = uniqueMarker();
  const app = tempApp({});
  try {
    const r = await runDynoToEnd(['run', `ps -o comm= -p $$; (setsid ${fixture('forever', marker)} &); sleep 0.3; exit 4`], { cwd: app.dir });
    assert.equal(r.code, 4, r.stderr);
    const exec = await runDynoToEnd(['run', 'ps -o comm= -p $$'], { cwd: app.dir });
    assert.equal(exec.stdout.trim(), 'ps', 'bash ran the lone command in place');
  } finally {
    await assertNoSurvivors(marker, 7000);
    app.cleanup();
  }
});

test('dyno run warns on stderr about env names a shell may not pass on, naming file:line', async () => {
  const app = tempApp({ '.env': 'OK=1\nFOO.BAR=2\n' });
  try {
    const r = await runDynoToEnd(['run', 'echo "$OK"'], { cwd: app.dir });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '1\n');
    assert.match(r.stderr, /^dyno: \.env:2:1: warning: .*`FOO\.BAR`/m);
  } finally {
    app.cleanup();
  }
});
