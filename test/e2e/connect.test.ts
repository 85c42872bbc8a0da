// `dyno connect` through a real terminal (tmux): a node readline prompt and Python's pdb in dynos
// answer lines typed in the connected terminal; Ctrl-] and Ctrl-D detach and the dyno keeps running.
import { requireEngine } from '../helpers/require-engine.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dynoBin, runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { tempApp, type TempApp } from '../helpers/temp-app.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';
import type { DynoRow } from '../../src/control/protocol.js';

// A tmux server of its own, running `dyno connect <args>` in the app directory.
function tmuxConnect(app: TempApp, args: string) {
  const bin = app.file('bin');
  fs.mkdirSync(bin, { recursive: true });
  const run = dynoBin.endsWith('.cjs') ? `exec "${process.execPath}" "${dynoBin}" "$@"` : `exec "${dynoBin}" "$@"`;
  fs.writeFileSync(path.join(bin, 'dyno'), `#!/bin/sh\n${run}\n`, { mode: 0o755 });
  const name = `dyno-connect-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const tmux = (...a: string[]): string => execFileSync('tmux', ['-L', name, ...a], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', name, '-x', '150', '-y', '30', '-c', app.dir, `env TERM=xterm PATH=${bin}:${process.env.PATH} sh -c 'dyno connect ${args}; echo "[exit $?]"; sleep 60'`);
  const screen = (): string => tmux('capture-pane', '-p', '-t', name);
  return {
    screen,
    keys: (...keys: string[]) => tmux('send-keys', '-t', name, ...keys),
    waitFor: (re: RegExp) => waitFor(() => re.test(screen()), { timeoutMs: 10_000, what: () => `${re} on the screen:\n${screen()}` }),
    kill: () => spawnSync('tmux', ['-L', name, 'kill-server']),
  };
}

const psRow = async (dir: string, name: string): Promise<DynoRow | undefined> =>
  (JSON.parse((await runDynoToEnd(['ps', '--json'], { cwd: dir })).stdout) as { dynos: DynoRow[] }).dynos.find((d) => d.name === name);

test('connect answers a readline prompt from the terminal; Ctrl-] detaches and the dyno keeps running with the same pid', { timeout: 40_000 }, async (t) => {
  if (!requireEngine(t, 'tmux')) return;
  const marker = uniqueMarker();
  const port = basePortFor(99);
  const app = tempApp({ Procfile: `repl: ${fixture('prompt', marker)}\nworker: ${fixture('forever', marker)}\n` });
  const run = runDyno(['start', '--no-router', '-p', String(port), '-t', '1'], { cwd: app.dir });
  let term: ReturnType<typeof tmuxConnect> | undefined;
  try {
    await run.waitForLine(/repl\.1 +\| name\? $/);
    const before = await psRow(app.dir, 'repl.1');
    term = tmuxConnect(app, 'repl');
    await term.waitFor(/^Connected to repl\.1: lines you type go to its stdin; Ctrl-D or Ctrl-\] detaches/m);
    await term.waitFor(/^name\?\s*$/m);
    term.keys('world', 'Enter');
    await term.waitFor(/^hello world from repl\.1\nname\?[ \t]*$/m); // the next prompt is up: type after it
    await run.waitForLine(/repl\.1 +\| hello world from repl\.1$/);
    term.keys('wrold', 'BSpace', 'BSpace', 'BSpace', 'BSpace', 'orld!', 'Enter');
    await term.waitFor(/^hello world! from repl\.1$/m);
    term.keys('C-]');
    await term.waitFor(/^Detached from repl \(it keeps running\)\n\[exit 0\]$/m);
    const after = await psRow(app.dir, 'repl.1');
    assert.equal(after?.state, 'up');
    assert.equal(after?.pid, before?.pid, 'the same run: detaching stopped nothing');
    assert.equal(after?.restarts, 0);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    term?.kill();
    run.signal('SIGKILL');
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test("connect drives Python's pdb at a breakpoint in a dyno; Ctrl-D detaches", { timeout: 40_000, skip: spawnSync('python3', ['--version']).status !== 0 && 'no python3' }, async (t) => {
  if (!requireEngine(t, 'tmux')) return;
  const marker = uniqueMarker();
  const port = basePortFor(100);
  const app = tempApp({
    'app.py': `import pdb, sys, time\nanswer = 41\npdb.set_trace()\nprint("after", answer + 1, flush=True)\nwhile True: time.sleep(60)\n`,
    Procfile: `debug: PYTHONUNBUFFERED=1 exec python3 app.py ${marker}\n`,
  });
  const run = runDyno(['start', '--no-router', '-p', String(port), '-t', '1'], { cwd: app.dir });
  let term: ReturnType<typeof tmuxConnect> | undefined;
  try {
    await run.waitForLine(/debug\.1 +\| \(Pdb\) $/, 15_000);
    term = tmuxConnect(app, 'debug.1');
    await term.waitFor(/^\(Pdb\)\s*$/m);
    term.keys('p answer * 2', 'Enter');
    await term.waitFor(/^82\n\(Pdb\)[ \t]*$/m);
    term.keys('answer = 99', 'Enter');
    await term.waitFor(/^\(Pdb\) answer = 99\n\(Pdb\)[ \t]*$/m);
    term.keys('c', 'Enter');
    await term.waitFor(/^after 100$/m);
    await run.waitForLine(/debug\.1 +\| after 100$/);
    term.keys('C-d');
    await term.waitFor(/^Detached from debug\.1 \(it keeps running\)\n\[exit 0\]$/m);
    assert.equal((await psRow(app.dir, 'debug.1'))?.state, 'up');
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    term?.kill();
    run.signal('SIGKILL');
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('connect names an unknown dyno and exits 2; without dyno start it says none runs', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(101);
  const app = tempApp({ Procfile: `worker: ${fixture('forever', marker)}\n` });
  let run: ReturnType<typeof runDyno> | undefined;
  try {
    const none = await runDynoToEnd(['connect', 'worker'], { cwd: app.dir });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^dyno: no dyno start is running for /m);
    run = runDyno(['start', '--no-router', '-p', String(port), '-t', '1'], { cwd: app.dir });
    await run.waitForLine(/worker\.1 +\| READY/);
    const bad = await runDynoToEnd(['connect', 'web.9'], { cwd: app.dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^dyno: no dyno "web\.9" in this formation\n {2}hint: running: worker\.1/m);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    run?.signal('SIGKILL');
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});
