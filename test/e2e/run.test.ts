// dyno run end to end: one-off dynos with the app env, exit codes, pass-through options, Procfile types.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempApp } from '../helpers/temp-app.js';
import { runDynoToEnd } from '../helpers/run-dyno.js';

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
