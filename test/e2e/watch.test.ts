// -w/--watch end to end: a changed source file restarts the dynos; node_modules is never watched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { tempApp } from '../helpers/temp-app.js';
import { runDyno } from '../helpers/run-dyno.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';
import { basePortFor, fixture } from '../helpers/fixture.js';

test('a change under the app restarts the dynos once per burst; node_modules changes are ignored', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `worker: ${fixture('forever', marker)}\n`, 'src/app.js': '1', 'node_modules/dep/index.js': '1' });
  const run = runDyno(['start', '--no-router', '-w', '--timeout', '1', '-p', String(basePortFor(21))], { cwd: app.dir });
  try {
    await run.waitForLine(/worker\.1 +\| READY/);
    fs.writeFileSync(app.file('node_modules/dep/index.js'), '2');
    for (let i = 0; i < 5; i++) fs.writeFileSync(app.file('src/app.js'), String(i));
    await run.waitForLine(/src\/app\.js changed, restarting/);
    await waitFor(() => run.lines.filter((l) => /worker\.1 +\| READY/.test(l)).length >= 2, { what: 'a second READY' });
    assert.ok(!run.stdout().includes('node_modules'), 'node_modules is not watched');
    assert.equal(run.lines.filter((l) => /changed, restarting/.test(l)).length, 1, 'one restart per burst');
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    run.signal('SIGINT'); // a failed wait above must not leave the formation running (harmless once it has exited)
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});
