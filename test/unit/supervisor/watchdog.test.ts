import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { launchWatchdog, startWatchdog } from '../../../src/supervisor/watchdog.js';
import { RELAY } from '../../../src/supervisor/watchdog-command.js';
import { assertNoSurvivors, survivors, uniqueMarker } from '../../helpers/survivors.js';
import { tempApp } from '../../helpers/temp-app.js';
import { waitFor } from '../../helpers/wait-for.js';
import { fixture } from './harness.js';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const src = (rel: string): string => fileURLToPath(new URL(`../../../src/${rel}`, import.meta.url));

// The watchdog entry as the binary would run it, without loading the whole CLI.
const watchdogEntry = `import { runWatchdog } from ${JSON.stringify(src('supervisor/watchdog.js'))};\nvoid runWatchdog();\n`;

// A manager: a Supervisor with a watchdog and three dynos (a grandchild tree, a setsid'd grandchild, one ignoring SIGTERM).
const managerScript = (marker: string, entry: string): string => `
import { Supervisor } from ${JSON.stringify(src('supervisor/supervisor.js'))};
import { startWatchdog } from ${JSON.stringify(src('supervisor/watchdog.js'))};
const watchdog = await startWatchdog({ argv: [process.execPath, '--import', 'tsx', ${JSON.stringify(entry)}, ${JSON.stringify(marker)}], graceMs: 300 });
const bus = { publish: (l) => process.stdout.write(l.dyno + ' ' + l.text + '\\n') };
const sup = new Supervisor({ root: process.cwd(), bus, graceMs: 200, restart: 'heroku', watchdog });
const env = { PATH: process.env.PATH };
sup.apply([
  { name: 'worker.1', type: 'worker', instance: 1, port: 5000, env, command: ${JSON.stringify(`${fixture('forever', marker)} & ${fixture('forever', marker)} & wait`)} },
  { name: 'worker.2', type: 'worker', instance: 2, port: 5001, env: { ...env, GRANDCHILD_SETSID: '1' }, command: ${JSON.stringify(fixture('grandchild', marker))} },
  { name: 'worker.3', type: 'worker', instance: 3, port: 5002, env, command: ${JSON.stringify(fixture('ignore-term', marker))} },
]);
`;

test('when the manager is SIGKILLed (its whole process group), the watchdog kills every dyno tree and exits', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ 'watchdog.mts': watchdogEntry });
  fs.writeFileSync(app.file('manager.mts'), managerScript(marker, app.file('watchdog.mts')));
  const manager = spawn(process.execPath, ['--import', 'tsx', app.file('manager.mts')], { cwd: projectRoot, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  manager.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  try {
    await waitFor(() => out.split('\n').filter((l) => /^worker\.\d READY$/.test(l)).length >= 4, {
      timeoutMs: 15_000,
      what: () => `4 READY lines from the manager's dynos; got:\n${out}`,
    });
    const before = survivors(marker);
    assert.ok(before.length >= 7, `watchdog and dyno processes are running: ${before.length}`);
    process.kill(-manager.pid!, 'SIGKILL'); // like `kill -9` of the manager's job: the watchdog must not be in that group
    await assertNoSurvivors(marker, 5000);
  } finally {
    killAll(manager, marker, app);
  }
});

test('close() says goodbye: the watchdog exits and kills nothing; its relay leaves nothing in the temp dir', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ 'watchdog.mts': watchdogEntry, 'tmp/.keep': '' });
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = app.file('tmp');
  const watchdog = await startWatchdog({ argv: [process.execPath, '--import', 'tsx', app.file('watchdog.mts'), marker] }).finally(() => {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
  });
  const dyno = spawn('/bin/sh', ['-c', fixture('forever', marker)], { detached: true, stdio: 'ignore' });
  try {
    await waitFor(() => fs.readdirSync(app.file('tmp')).length === 1, { what: () => `only .keep in the temp dir: ${fs.readdirSync(app.file('tmp'))}` });
    watchdog.register({ root: dyno.pid!, pgid: dyno.pid!, runId: 'none' });
    await waitFor(() => survivors(marker).length === 3); // watchdog, sh, node
    await watchdog.close();
    assert.equal(survivors(marker).length, 2, 'the registered tree still runs');
    process.kill(-dyno.pid!, 'SIGTERM');
    await assertNoSurvivors(marker);
  } finally {
    for (const pid of survivors(marker)) process.kill(pid, 'SIGKILL');
    app.cleanup();
  }
});

test('startWatchdog fails clearly when the watchdog cannot start', async () => {
  await assert.rejects(startWatchdog({ argv: [process.execPath, '-e', 'process.exit(3)'], relayShell: null }), /watchdog did not start: exited with 3/);
  await assert.rejects(startWatchdog({ relayShell: '/nonexistent/sh' }), /watchdog did not start: .*ENOENT/);
  // The relay's `ready` does not prove the killer: a killer that is not there is not hidden behind it.
  await assert.rejects(startWatchdog({ argv: ['/nonexistent/killer', '__watchdog'] }), /watchdog did not start: .*ENOENT/);
});

// The relay as launch() runs it (on a PATH without rm, as a dyno's may be), in front of a "killer"
// that copies its stdin to `out`.
function relay(dir: string, out: string, killer = [process.execPath, '-e', `process.stdin.pipe(require('fs').createWriteStream(${JSON.stringify(out)}))`]): ReturnType<typeof spawn> {
  return spawn('/bin/sh', ['-c', RELAY, 'sh', dir, ...killer], { stdio: ['pipe', 'pipe', 'inherit'], env: { PATH: '/nonexistent' } });
}

const exitOf = (child: ReturnType<typeof spawn>): Promise<number | null> => new Promise((resolve) => child.once('exit', (code) => resolve(code)));

test('the relay: on EOF without q the killer gets every line, from a file unlinked (its directory removed) as soon as it was opened', async () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-relay-'));
  const dir = fs.mkdtempSync(path.join(base, 'relay-'));
  const out = path.join(base, 'out');
  try {
    const child = relay(dir, out);
    await new Promise((resolve) => child.stdout!.once('data', resolve)); // ready
    assert.ok(!fs.existsSync(dir), 'the directory is gone once the relay is ready');
    child.stdin!.end('g300\nm123.\n+10 10 a b\n-10 10 a b\n+11 11 c\n');
    await exitOf(child);
    await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8').endsWith('c\n'));
    assert.equal(fs.readFileSync(out, 'utf8'), 'g300\nm123.\n+10 10 a b\n-10 10 a b\n+11 11 c\n');
    assert.deepEqual(fs.readdirSync(base), ['out'], 'nothing of the relay is left on disk');
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});

test('the relay: q ends it quietly (the killer never runs); a file it cannot create makes the killer read the pipe itself', async () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-relay-'));
  const out = path.join(base, 'out');
  try {
    const quiet = relay(fs.mkdtempSync(path.join(base, 'relay-')), out);
    quiet.stdin!.end('g300\n+10 10 a\nq\n');
    assert.equal(await exitOf(quiet), 0);
    assert.deepEqual(fs.readdirSync(base), [], 'the killer did not run');
    const taken = fs.mkdtempSync(path.join(base, 'relay-'));
    fs.writeFileSync(path.join(taken, 'lines'), 'not ours\n');
    const direct = relay(taken, out);
    direct.stdin!.end('g300\n+10 10 a\n');
    await exitOf(direct);
    await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8') === 'g300\n+10 10 a\n');
    assert.equal(fs.readFileSync(path.join(taken, 'lines'), 'utf8'), 'not ours\n', 'an existing file is never written (noclobber)');
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});

test('the relay survives a manager that died before it said ready (SIGPIPE on `ready`): the killer still gets every line', async () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-relay-'));
  const out = path.join(base, 'out');
  try {
    // stdout is a FIFO whose only reader has opened and closed it (and is waited for): `echo ready` meets no reader.
    const wrapper = 'mkfifo "$0/p"; (exec 9<"$0/p") & exec 1>"$0/p"; wait $!; exec /bin/sh -c "$RELAY" sh "$@"';
    const killer = [process.execPath, '-e', `process.stdin.pipe(require('fs').createWriteStream(${JSON.stringify(out)}))`];
    const child = spawn('/bin/sh', ['-c', wrapper, base, fs.mkdtempSync(path.join(base, 'relay-')), ...killer], { stdio: ['pipe', 'ignore', 'inherit'], env: { PATH: process.env.PATH, RELAY } });
    child.stdin.end('g300\n+10 10 a\n');
    await exitOf(child);
    await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8') === 'g300\n+10 10 a\n', { what: () => 'the killer ran on the lines' });
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});

test('the relay: a killer gone by the time it is needed (dyno upgraded meanwhile) leaves the shell to SIGTERM every run still registered, by group', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ killer: '#!/bin/sh\nexit 0\n' });
  fs.chmodSync(app.file('killer'), 0o755);
  const kept = spawn('/bin/sh', ['-c', `exec ${fixture('forever', marker)}`], { detached: true, stdio: 'ignore' });
  const ended = spawn('/bin/sh', ['-c', `exec ${fixture('forever', marker)}`], { detached: true, stdio: 'ignore' });
  try {
    await waitFor(() => survivors(marker).length === 2);
    const child = relay(fs.mkdtempSync(app.file('relay-')), app.file('out'), [app.file('killer')]);
    await new Promise((resolve) => child.stdout!.once('data', resolve)); // ready
    child.stdin!.write(`g300\n+${kept.pid} ${kept.pid} a\n+${ended.pid} ${ended.pid} b\n-${ended.pid} ${ended.pid} b\n`);
    fs.rmSync(app.file('killer'));
    child.stdin!.end();
    await waitFor(() => !survivors(marker).includes(kept.pid!), { what: () => 'the registered run is stopped' });
    assert.deepEqual(survivors(marker), [ended.pid], 'an unregistered run is left alone');
    await exitOf(child);
  } finally {
    for (const pid of survivors(marker)) process.kill(pid, 'SIGKILL');
    app.cleanup();
  }
});

test('a relay sent many lines (a crash loop) is renewed with the live runs only; SIGKILL of the manager then stops the run with one SIGTERM', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ 'watchdog.mts': watchdogEntry });
  fs.writeFileSync(app.file('manager.mts'), `
import { spawn } from 'node:child_process';
import { launchWatchdog } from ${JSON.stringify(src('supervisor/watchdog.js'))};
const w = launchWatchdog({ argv: [process.execPath, '--import', 'tsx', ${JSON.stringify(app.file('watchdog.mts'))}, ${JSON.stringify(marker)}], graceMs: 300, rotateAfterLines: 10 });
await w.ready;
const first = w.pid;
const run = spawn('/bin/sh', ['-c', ${JSON.stringify(`exec ${fixture('ignore-term', marker)}`)}], { detached: true, stdio: ['ignore', 'inherit', 'ignore'] });
w.register({ root: run.pid, pgid: run.pid, runId: 'kept' });
for (let i = 0; i < 30; i++) {
  const gone = { root: 900000 + i, pgid: 900000 + i, runId: 'crash' + i };
  w.register(gone);
  w.unregister(gone);
  await new Promise((r) => setImmediate(r));
}
process.stdout.write('RENEWED ' + (w.pid !== first) + ' ' + first + '\\n');
`);
  const manager = spawn(process.execPath, ['--import', 'tsx', app.file('manager.mts')], { cwd: projectRoot, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  manager.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  try {
    await waitFor(() => /RENEWED \w+ \d+/.test(out) && out.includes('READY'), { timeoutMs: 15_000, what: () => `the run READY and the watchdog renewed; got:\n${out}` });
    const [, renewed, first] = /RENEWED (\w+) (\d+)/.exec(out)!;
    assert.equal(renewed, 'true', 'a new watchdog');
    await waitFor(() => !fs.existsSync(`/proc/${first}`), { what: () => 'the first relay said goodbye' });
    process.kill(-manager.pid!, 'SIGKILL');
    await assertNoSurvivors(marker, 5000);
    assert.equal(out.split('IGNORED SIGTERM').length - 1, 1, `one SIGTERM:\n${out}`);
  } finally {
    killAll(manager, marker, app);
  }
});

test('launchWatchdog does not wait: lines written before it is ready are read; a run known only by the marker prefix dies with the manager, with one SIGTERM', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ 'watchdog.mts': watchdogEntry });
  const prefix = `${process.pid}x${marker.slice(-6)}.`;
  // A "manager" that launches its watchdog, spawns a run marked with its prefix it never registers, and
  // a registered one carrying the same prefix (found both ways: still one SIGTERM each); then it is SIGKILLed.
  fs.writeFileSync(app.file('manager.mts'), `
import { spawn } from 'node:child_process';
import { launchWatchdog } from ${JSON.stringify(src('supervisor/watchdog.js'))};
const w = launchWatchdog({ argv: [process.execPath, '--import', 'tsx', ${JSON.stringify(app.file('watchdog.mts'))}, ${JSON.stringify(marker)}], graceMs: 300, markerPrefix: ${JSON.stringify(prefix)} });
const run = (n, cmd) => spawn('/bin/sh', ['-c', cmd], { detached: true, stdio: ['ignore', 'inherit', 'ignore'], env: { PATH: process.env.PATH, DYNO_RUN_ID: ${JSON.stringify(prefix)} + n } });
const unregistered = run(1, ${JSON.stringify(`exec ${fixture('ignore-term', marker)}`)});
const registered = run(2, ${JSON.stringify(`exec ${fixture('ignore-term', marker)}`)});
w.register({ root: registered.pid, pgid: registered.pid, runId: ${JSON.stringify(prefix)} + '2' });
await w.ready;
process.stdout.write('WATCHED\\n');
`);
  const manager = spawn(process.execPath, ['--import', 'tsx', app.file('manager.mts')], { cwd: projectRoot, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  manager.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  try {
    await waitFor(() => out.includes('WATCHED') && out.split('READY').length - 1 >= 2, { timeoutMs: 15_000, what: () => `both runs READY and the watchdog up; got:\n${out}` });
    process.kill(-manager.pid!, 'SIGKILL');
    await assertNoSurvivors(marker, 5000);
    assert.equal(out.split('IGNORED SIGTERM').length - 1, 2, `one SIGTERM per process:\n${out}`);
  } finally {
    killAll(manager, marker, app);
  }
});

test('launchWatchdog: ready rejects when the watchdog cannot start', async () => {
  const w = launchWatchdog({ argv: [process.execPath, '-e', 'process.exit(3)'], relayShell: null });
  await assert.rejects(w.ready, /watchdog did not start: exited with 3/);
  await w.close();
});

// After a test that spawned a manager: a failure before its own kill must not leave the manager (its command
// line has no marker) or any marked process behind.
function killAll(manager: { pid?: number }, marker: string, app: { cleanup(): void }): void {
  try {
    process.kill(-manager.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
  for (const pid of survivors(marker)) process.kill(pid, 'SIGKILL');
  app.cleanup();
}
