import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LogLine } from '../../../src/core/types.js';
import { DynoError } from '../../../src/core/errors.js';
import { openLogFile } from '../../../src/logs/log-file.js';

const T = Date.UTC(2012, 7, 11, 12, 42, 0);
const line = (o: Partial<LogLine>): LogLine => ({ ts: T, source: 'app', dyno: 'web.1', stream: 'stdout', text: 'hello', ...o });

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-logfile-'));
}

test('log file: writes heroku-format lines, no ANSI, one per line', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'dyno.log');
    const log = openLogFile(file);
    log.publish(line({ ts: T + 848.866, text: 'listening on 5006' }));
    log.publish(line({ source: 'heroku', text: 'State changed from starting to up' }));
    log.publish(line({ source: 'dyno', dyno: '', stream: 'stderr', text: 'Stopping all processes with SIGTERM' }));
    await log.close();
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      '2012-08-11T12:42:00.848866+00:00 app[web.1]: listening on 5006\n' +
        '2012-08-11T12:42:00.000000+00:00 heroku[web.1]: State changed from starting to up\n' +
        '2012-08-11T12:42:00.000000+00:00 dyno[manager]: Stopping all processes with SIGTERM\n',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('log file: appends to an existing file instead of truncating it', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'dyno.log');
    fs.writeFileSync(file, 'earlier run\n');
    const first = openLogFile(file);
    first.publish(line({ text: 'one' }));
    await first.close();
    const second = openLogFile(file);
    second.publish(line({ text: 'two' }));
    await second.close();
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      'earlier run\n2012-08-11T12:42:00.000000+00:00 app[web.1]: one\n2012-08-11T12:42:00.000000+00:00 app[web.1]: two\n',
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('log file: lines published before close() in the same tick are not lost', async () => {
  const dir = tempDir();
  try {
    const file = path.join(dir, 'dyno.log');
    const log = openLogFile(file);
    for (let i = 0; i < 5000; i++) log.publish(line({ text: `line ${i}` }));
    await log.close();
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, 5000);
    assert.ok(lines[4999]!.endsWith('app[web.1]: line 4999'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('log file: close() twice is harmless', async () => {
  const dir = tempDir();
  try {
    const log = openLogFile(path.join(dir, 'dyno.log'));
    await log.close();
    await log.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('log file: a path in a missing directory is a USAGE error naming the path', () => {
  const file = path.join(os.tmpdir(), 'dyno-no-such-dir-' + process.pid, 'dyno.log');
  assert.throws(
    () => openLogFile(file),
    (err: unknown) => err instanceof DynoError && err.code === 'USAGE' && err.message.includes(file) && err.message.includes('ENOENT'),
  );
});

test('log file: a file that stops accepting writes (/dev/full) is reported once, naming the file and the error', { skip: !fs.existsSync('/dev/full') }, async () => {
  const errors: string[] = [];
  const log = openLogFile('/dev/full', { onError: (m) => errors.push(m) });
  log.publish(line({ text: 'first' }));
  await log.close().catch(() => undefined);
  for (let i = 0; i < 3; i++) log.publish(line({ text: `after ${i}` }));
  await new Promise((r) => setImmediate(r));
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /^log file \/dev\/full: .*ENOSPC/);
});
