// Dyno sizes end to end (HEROKU.md §2.8): --size with the hidden test quota --memory-quota, against
// alloc.js (~100 MB RSS); the CLI samples every 2 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempApp } from '../helpers/temp-app.js';
import { runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { assertNoSurvivors, survivors, uniqueMarker } from '../helpers/survivors.js';
import { basePortFor, fixture } from '../helpers/fixture.js';

test('R15 through the CLI: R15 lines, SIGKILL, status 137, crashed, restarted', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `worker: ${fixture('alloc', marker)}\n` });
  try {
    const args = ['start', '--no-router', '-p', String(basePortFor(65)), '--timeout', '1', '--format', 'heroku', '--size', 'Standard-1X', '--memory-quota', '40'];
    const run = runDyno(args, { cwd: app.dir });
    await run.waitForLine(/heroku\[worker\.1\]: State changed from crashed to starting/, 15_000);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
    const lines = run.lines.map((l) => l.replace(/^\S+ /, '')).filter((l) => l.startsWith('heroku[worker.1]'));
    const r15 = lines.indexOf('heroku[worker.1]: Error R15 (Memory quota vastly exceeded)');
    assert.match(lines[r15 - 1] ?? '', /^heroku\[worker\.1\]: Process running mem=\d+MB\(\d+\.\d%\)$/, run.stdout());
    assert.deepEqual(lines.slice(r15 + 1, r15 + 5), [
      'heroku[worker.1]: Stopping process with SIGKILL',
      'heroku[worker.1]: Process exited with status 137',
      'heroku[worker.1]: State changed from up to crashed',
      'heroku[worker.1]: State changed from crashed to starting',
    ]);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('an unknown --size is a usage error listing the sizes; nothing starts', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `worker: ${fixture('forever', marker)}\n` });
  try {
    const { code, stdout, stderr } = await runDynoToEnd(['start', '--no-router', '--size', 'standard-3x'], { cwd: app.dir });
    assert.equal(code, 2);
    assert.equal(stderr, 'dyno: unknown dyno size "standard-3x"\n  hint: use one of eco, basic, standard-1x, standard-2x, performance-m, performance-l\n');
    assert.equal(stdout, '');
    assert.deepEqual(survivors(marker), []);
  } finally {
    app.cleanup();
  }
});
