// The formation's two moments: one line once every dyno is up, one summary line at stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDyno } from '../helpers/run-dyno.js';
import { tempApp } from '../helpers/temp-app.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { httpGet } from '../helpers/http-get.js';
import { waitFor } from '../helpers/wait-for.js';

test('says once when every dyno is up, with the time and the router URL; at stop, one summary line', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(96);
  const app = tempApp({ Procfile: `web: ${fixture('web', marker)}\nworker: ${fixture('forever', marker)}\n` });
  const run = runDyno(['start', 'web=2', 'worker=1', '-p', String(port), '-t', '1'], { cwd: app.dir });
  try {
    const up = await run.waitForLine(/\* All 3 dynos up in \d+\.\ds: http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(up.endsWith(`http://127.0.0.1:${port}`), up);
    const index = run.lines.indexOf(up);
    assert.ok(run.lines.slice(0, index).filter((l) => /web\.\d +\* State changed from starting to up/.test(l)).length === 2, 'after both web dynos are up');
    assert.equal((await httpGet(port)).status, 200);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
    assert.equal(run.lines.filter((l) => /All \d+ dynos? up/.test(l)).length, 1);
    assert.match(run.lines.at(-1)!, /\* Stopped after \d+s: 0 restarts, 0 crashes, no H-codes$/);
  } finally {
    run.signal('SIGKILL');
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('the summary counts restarts, crashes and the router H-codes seen', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(97);
  const app = tempApp({ Procfile: `web: ${fixture('web', marker)}\nflaky: CRASH_AFTER_MS=200 ${fixture('crash-after', marker)}\n` });
  const run = runDyno(['start', 'web=0', 'flaky=1', '-p', String(port), '-t', '1', '--backoff', '30s,60s'], { cwd: app.dir });
  try {
    await waitFor(() => run.lines.filter((l) => /flaky\.1 +\* State changed from up to crashed/.test(l)).length === 2, { what: 'two crashes' });
    assert.equal((await httpGet(port)).status, 503);
    await run.waitForLine(/code=H14/);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
    assert.match(run.lines.at(-1)!, /\* Stopped after \d+s: 1 restart, 2 crashes, H-codes H14×1$/);
  } finally {
    run.signal('SIGKILL');
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});
