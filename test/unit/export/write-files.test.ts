import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DynoError } from '../../../src/core/errors.js';
import { writeFiles } from '../../../src/export/write-files.js';
import { tempApp } from '../../helpers/temp-app.js';

const isExportWrite = (e: unknown): boolean => e instanceof DynoError && e.code === 'EXPORT_WRITE';

function setup(): { dir: string; out: string; lines: string[]; cleanup(): void; o: (force?: boolean) => Parameters<typeof writeFiles>[1] } {
  const t = tempApp();
  const out = path.join(t.dir, 'out');
  const lines: string[] = [];
  return { dir: t.dir, out, lines, cleanup: t.cleanup, o: (force = false) => ({ outDir: out, force, cwd: t.dir, log: (l) => lines.push(l) }) };
}

test('creates the output directory, writes each file and says "Writing <path>"', () => {
  const s = setup();
  try {
    writeFiles([{ path: 'a.service', content: 'A' }, { path: 'app.env', content: 'K=1', secret: true }], s.o());
    assert.deepEqual(s.lines, ['Writing out/a.service', 'Writing out/app.env']);
    assert.equal(fs.readFileSync(path.join(s.out, 'a.service'), 'utf8'), 'A');
    assert.equal(fs.statSync(path.join(s.out, 'a.service')).mode & 0o777, 0o644);
    assert.equal(fs.statSync(path.join(s.out, 'app.env')).mode & 0o777, 0o600);
  } finally {
    s.cleanup();
  }
});

test('refuses to overwrite without force, before writing anything', () => {
  const s = setup();
  try {
    fs.mkdirSync(s.out);
    fs.writeFileSync(path.join(s.out, 'b'), 'old');
    assert.throws(() => writeFiles([{ path: 'a', content: 'A' }, { path: 'b', content: 'B' }], s.o()), isExportWrite);
    assert.equal(fs.existsSync(path.join(s.out, 'a')), false);
    assert.equal(fs.readFileSync(path.join(s.out, 'b'), 'utf8'), 'old');
  } finally {
    s.cleanup();
  }
});

test('force replaces a world-readable file with a 0600 secret', () => {
  const s = setup();
  try {
    fs.mkdirSync(s.out);
    fs.writeFileSync(path.join(s.out, 'app.env'), 'old', { mode: 0o666 });
    writeFiles([{ path: 'app.env', content: 'SECRET=1', secret: true }], s.o(true));
    assert.equal(fs.statSync(path.join(s.out, 'app.env')).mode & 0o777, 0o600);
    assert.equal(fs.readFileSync(path.join(s.out, 'app.env'), 'utf8'), 'SECRET=1');
  } finally {
    s.cleanup();
  }
});

test('force replaces a symlink instead of writing through it', () => {
  const s = setup();
  try {
    fs.mkdirSync(s.out);
    const victim = path.join(s.dir, 'victim');
    fs.writeFileSync(victim, 'keep');
    fs.symlinkSync(victim, path.join(s.out, 'app.env'));
    writeFiles([{ path: 'app.env', content: 'SECRET=1', secret: true }], s.o(true));
    assert.equal(fs.readFileSync(victim, 'utf8'), 'keep');
    assert.equal(fs.lstatSync(path.join(s.out, 'app.env')).isFile(), true);
  } finally {
    s.cleanup();
  }
});

for (const bad of ['../escape', '/etc/passwd', 'sub/../../escape', '.', '']) {
  test(`refuses a path outside the output directory: ${JSON.stringify(bad)}`, () => {
    const s = setup();
    try {
      assert.throws(() => writeFiles([{ path: bad, content: 'x' }], s.o(true)), isExportWrite);
      assert.deepEqual(fs.readdirSync(s.dir), []);
    } finally {
      s.cleanup();
    }
  });
}

test('a directory in the way is an error even with force', () => {
  const s = setup();
  try {
    fs.mkdirSync(path.join(s.out, 'a'), { recursive: true });
    assert.throws(() => writeFiles([{ path: 'a', content: 'x' }], s.o(true)), isExportWrite);
  } finally {
    s.cleanup();
  }
});

test('secretOwner gives the secret files (only) to that user, still 0600 (as root)', (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('needs root (chown)');
    return;
  }
  const tmp = tempApp();
  const dir = tmp.dir;
  try {
    writeFiles([{ path: 'a.env', content: 'K=v\n', secret: true }, { path: 'a.conf', content: 'x\n' }], { outDir: dir, force: false, cwd: dir, log: () => undefined, secretOwner: { uid: 65534, gid: 65534 } });
    const env = fs.statSync(path.join(dir, 'a.env'));
    assert.deepEqual([env.uid, env.gid, env.mode & 0o777], [65534, 65534, 0o600]);
    assert.equal(fs.statSync(path.join(dir, 'a.conf')).uid, 0);
  } finally {
    tmp.cleanup();
  }
});
