// The CLI's own edges: version, usage errors, --debug anywhere, one clear line and no stack trace by default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDynoToEnd } from '../helpers/run-dyno.js';
import { tempApp } from '../helpers/temp-app.js';

test('--version and -V print the version and exit 0', async () => {
  for (const flag of ['--version', '-V']) {
    const r = await runDynoToEnd([flag]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
  }
});

test('an unknown command or option exits 2 with commander\'s message as one dyno: line and the help hint', async () => {
  for (const args of [['nosuch'], ['start', '--bogus']]) {
    const r = await runDynoToEnd(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^dyno: unknown (command|option) '[^']+'\n {2}hint: run with --help for usage\n$/);
  }
});

test('errors are one `dyno:` line (+ hint) without a stack; --debug before or after the command adds it', async () => {
  const app = tempApp({});
  try {
    const plain = await runDynoToEnd(['check'], { cwd: app.dir });
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /^dyno: Procfile not found: Procfile\n  hint: /);
    assert.doesNotMatch(plain.stderr, /\n\s+at /);
    for (const args of [['--debug', 'check'], ['check', '--debug']]) {
      const debug = await runDynoToEnd(args, { cwd: app.dir });
      assert.equal(debug.code, 2);
      assert.match(debug.stderr, /\n\s+at /, args.join(' '));
    }
  } finally {
    app.cleanup();
  }
});
