import { test } from 'node:test';
import assert from 'node:assert/strict';
import { procfileProgram } from '../../../src/deploy/procfile-program.js';

const rows: Array<[string, string | null]> = [
  ['node dist/server.js', 'dist/server.js'],
  ['bin/web', 'bin/web'],
  ['./bin/web --port $PORT', 'bin/web'],
  ['FOO=1 exec python3 app.py', 'app.py'],
  ['node --enable-source-maps build/index.js', 'build/index.js'],
  ['bundle exec bin/rails server', 'bin/rails'],
  ['npm start', null],
  ['gunicorn app:app', null],
  ['node -e "console.log(1)"', null],
  ['/usr/bin/env true', null],
  ['ruby $SCRIPT', null],
  ['python manage.py migrate', 'manage.py'],
];
for (const [command, expected] of rows) {
  test(`Procfile program of \`${command}\` is ${expected ?? 'none'}`, () => assert.equal(procfileProgram(command), expected));
}
