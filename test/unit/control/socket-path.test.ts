// Where the control socket lives, and what probing finds there: nothing, a stale socket, a live one, a file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MAX_SOCKET_PATH_BYTES, prepareSocketPath, probeSocket, socketPathsFor } from '../../../src/control/socket-path.js';
import { tempApp } from '../../helpers/temp-app.js';

test('a short root keeps its socket in <root>/.dyno/control.sock; prepare creates the directory 0700', () => {
  const app = tempApp();
  try {
    const paths = socketPathsFor(app.dir, { tmpdir: '/tmp', uid: 1000 });
    assert.equal(paths.primary, path.join(app.dir, '.dyno', 'control.sock'));
    assert.match(paths.fallback, /^\/tmp\/dyno-1000\/[0-9a-f]{16}\.sock$/);
    assert.equal(prepareSocketPath(paths), paths.primary);
    assert.equal(fs.statSync(path.join(app.dir, '.dyno')).mode & 0o777, 0o700);
  } finally {
    app.cleanup();
  }
});

test('a root too long for sun_path falls back to the temp dir, keyed by the real root (symlinks agree)', () => {
  const app = tempApp();
  try {
    const deep = path.join(app.dir, 'x'.repeat(60), 'y'.repeat(60));
    fs.mkdirSync(deep, { recursive: true });
    fs.symlinkSync(deep, path.join(app.dir, 'short'));
    const long = socketPathsFor(deep, { tmpdir: app.dir });
    assert.ok(Buffer.byteLength(path.join(deep, '.dyno/control.sock')) > MAX_SOCKET_PATH_BYTES);
    assert.equal(long.primary, null);
    assert.equal(socketPathsFor(path.join(app.dir, 'short'), { tmpdir: app.dir }).fallback, long.fallback);
    assert.notEqual(socketPathsFor(app.dir, { tmpdir: app.dir }).fallback, long.fallback, 'another root, another socket');
    assert.equal(prepareSocketPath(long), long.fallback);
    assert.equal(fs.statSync(path.dirname(long.fallback)).mode & 0o777, 0o700);
  } finally {
    app.cleanup();
  }
});

test('probe: absent, live, stale (its server was SIGKILLed), and a plain file', async () => {
  const app = tempApp({ 'plain.sock': 'not a socket' });
  const live = net.createServer();
  try {
    assert.equal(await probeSocket(app.file('none.sock')), 'absent');
    assert.equal(await probeSocket(app.file('plain.sock')), 'not-a-socket');
    await new Promise<void>((resolve) => live.listen(app.file('live.sock'), resolve));
    assert.equal(await probeSocket(app.file('live.sock')), 'live');
    const stale = app.file('stale.sock');
    const killed = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    await new Promise((resolve) => killed.once('exit', resolve));
    assert.ok(fs.lstatSync(stale).isSocket(), 'the killed server left its socket file');
    assert.equal(await probeSocket(stale), 'stale');
  } finally {
    await new Promise((resolve) => live.close(resolve));
    app.cleanup();
  }
});
