import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { childArgv } from '../../../src/supervisor/child.js';
import { findShell, SH, shellNotice } from '../../../src/supervisor/shell.js';
import { tempApp } from '../../helpers/temp-app.js';

test('bash is found on PATH (Heroku runs bash -c); without it /bin/sh, with one notice', () => {
  const bash = findShell(process.env.PATH);
  assert.equal(bash.bash, true);
  assert.ok(fs.existsSync(bash.path));
  assert.equal(shellNotice(bash), null);
  for (const path of [undefined, '', '/nonexistent/dyno', 'relative/bin']) assert.deepEqual(findShell(path), SH, String(path));
  assert.match(shellNotice(SH) ?? '', /bash is not on PATH: commands run with \/bin\/sh -c/);
});

test('a directory or a non-executable file named bash is not a shell', () => {
  const dir = tempApp({ 'a/bash/x': '', 'b/bash': '#!/bin/sh\n' });
  try {
    assert.deepEqual(findShell(`${dir.file('a')}:${dir.file('b')}`), SH);
  } finally {
    dir.cleanup();
  }
});

const argvRows = [
  { shell: { path: '/usr/bin/bash', bash: true }, want: ['/usr/bin/bash', ['--norc', '-c', 'npm start']] },
  { shell: SH, want: ['/bin/sh', ['-c', 'npm start']] },
];
for (const row of argvRows) {
  test(`childArgv: ${row.shell.path} -c, --norc for bash (a socket stdin would make bash read ~/.bashrc)`, () => {
    assert.deepEqual(childArgv(row.shell, 'npm start'), row.want);
  });
}
