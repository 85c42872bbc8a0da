// Where the control socket lives ($XDG_RUNTIME_DIR/dyno, <root>/.dyno, <tmpdir>/dyno-<uid>), which
// directories are refused, and what probing finds there: nothing, a stale socket, a live one, a file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { existingSockets, MAX_SOCKET_PATH_BYTES, prepareSocketPath, probeSocket, socketPathsFor } from '../../../src/control/socket-path.js';
import { currentUid } from '../../../src/control/private-dir.js';
import { DynoError } from '../../../src/core/errors.js';
import { tempApp } from '../../helpers/temp-app.js';

const modeOf = (p: string): number => fs.lstatSync(p).mode & 0o777;
const isUnsafe = (name: RegExp) => (err: unknown): boolean => err instanceof DynoError && err.code === 'UNSAFE_PATH' && name.test(err.message);

test('with XDG_RUNTIME_DIR the socket is $XDG_RUNTIME_DIR/dyno/<hash of the root>.sock, in a directory created 0700', () => {
  const app = tempApp({ 'run/.keep': '' });
  try {
    const paths = socketPathsFor(app.dir, { runtimeDir: app.file('run'), tmpdir: app.dir });
    assert.match(paths.runtime ?? '', new RegExp(`^${app.file('run/dyno')}/[0-9a-f]{16}\\.sock$`));
    assert.equal(prepareSocketPath(paths), paths.runtime);
    assert.equal(modeOf(app.file('run/dyno')), 0o700);
    assert.equal(fs.existsSync(app.file('.dyno')), false, 'the app directory stays clean');
    const other = socketPathsFor(app.file('run'), { runtimeDir: app.file('run') });
    assert.notEqual(other.runtime, paths.runtime, 'another app, another socket in the same runtime directory');
  } finally {
    app.cleanup();
  }
});

test('without XDG_RUNTIME_DIR a short root keeps its socket in <root>/.dyno/control.sock (0700), even under umask 0277', () => {
  const app = tempApp();
  const umask = process.umask(0o277);
  try {
    const paths = socketPathsFor(app.dir, { runtimeDir: null, tmpdir: '/tmp' });
    assert.equal(paths.runtime, null);
    assert.equal(paths.primary, path.join(app.dir, '.dyno', 'control.sock'));
    assert.equal(paths.fallback, `/tmp/dyno-${currentUid()}/${path.basename(paths.fallback)}`);
    assert.equal(prepareSocketPath(paths), paths.primary);
    assert.equal(modeOf(app.file('.dyno')), 0o700);
  } finally {
    process.umask(umask);
    app.cleanup();
  }
});

test('a root too long for sun_path, or a .dyno that is a file, falls back to <tmpdir>/dyno-<uid>, keyed by the real root', () => {
  const app = tempApp({ 'plain/Procfile': '', 'plain/.dyno': 'a file', 'tmp/.keep': '' });
  try {
    const deep = path.join(app.dir, 'x'.repeat(60), 'y'.repeat(60));
    fs.mkdirSync(deep, { recursive: true });
    fs.symlinkSync(deep, path.join(app.dir, 'short'));
    const o = { tmpdir: app.file('tmp'), runtimeDir: null };
    const long = socketPathsFor(deep, o);
    assert.ok(Buffer.byteLength(path.join(deep, '.dyno/control.sock')) > MAX_SOCKET_PATH_BYTES);
    assert.equal(long.primary, null);
    assert.equal(socketPathsFor(path.join(app.dir, 'short'), o).fallback, long.fallback);
    assert.notEqual(socketPathsFor(app.dir, o).fallback, long.fallback, 'another root, another socket');
    assert.equal(prepareSocketPath(long), long.fallback);
    assert.equal(modeOf(path.dirname(long.fallback)), 0o700);
    const plain = socketPathsFor(app.file('plain'), o);
    assert.equal(prepareSocketPath(plain), plain.fallback);
  } finally {
    app.cleanup();
  }
});

test('a socket directory that is not private (mode 0777, a symlink, another owner) is refused with its path, never used', () => {
  const app = tempApp({ 'tmp/.keep': '', 'elsewhere/.keep': '' });
  try {
    const o = { tmpdir: app.file('tmp'), runtimeDir: app.file('run') };
    const paths = socketPathsFor(app.dir, o);
    fs.mkdirSync(app.file('run/dyno'), { recursive: true, mode: 0o777 });
    fs.chmodSync(app.file('run/dyno'), 0o777);
    assert.throws(() => prepareSocketPath(paths), isUnsafe(/refusing .*run\/dyno: it has mode 0777, not 0700; remove it/));
    fs.rmSync(app.file('run/dyno'), { recursive: true });
    fs.symlinkSync(app.file('elsewhere'), app.file('run/dyno'));
    assert.throws(() => prepareSocketPath(paths), isUnsafe(/run\/dyno: it is a symbolic link/));
    fs.rmSync(app.file('run/dyno'));
    if (currentUid() === 0) {
      fs.mkdirSync(app.file('run/dyno'), { mode: 0o700 });
      fs.chownSync(app.file('run/dyno'), 65534, 65534);
      assert.throws(() => prepareSocketPath(paths), isUnsafe(/run\/dyno: it is owned by uid 65534, not by you \(uid 0\)/));
    }
  } finally {
    app.cleanup();
  }
});

test('clients refuse a socket in a directory that is not private instead of connecting to it', () => {
  const app = tempApp({ 'tmp/.keep': '' });
  try {
    const paths = socketPathsFor(app.dir, { tmpdir: app.file('tmp'), runtimeDir: null });
    assert.deepEqual(existingSockets(paths), []);
    fs.mkdirSync(app.file('.dyno'), { mode: 0o755 });
    fs.chmodSync(app.file('.dyno'), 0o755);
    fs.writeFileSync(app.file('.dyno/control.sock'), '');
    assert.throws(() => existingSockets(paths), isUnsafe(/\.dyno: it has mode 0755/));
    fs.chmodSync(app.file('.dyno'), 0o700);
    assert.deepEqual(existingSockets(paths), [paths.primary]);
  } finally {
    app.cleanup();
  }
});

test('no usable candidate (every parent missing) is one UNSAFE_PATH line naming them', () => {
  const paths = socketPathsFor('/nonexistent-root-for-dyno', { tmpdir: '/nonexistent-tmp-for-dyno', runtimeDir: '/nonexistent-run' });
  assert.throws(() => prepareSocketPath(paths), isUnsafe(/no usable directory for the control socket \(.*nonexistent-run.*ENOENT.*nonexistent-tmp-for-dyno/));
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
