// --can-die, --auto-restart and --exit-with against a real dyno start: per-type exit policies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { tempApp } from '../helpers/temp-app.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';
import type { DynoRow } from '../../src/control/protocol.js';

test('a --can-die type that exits is not restarted and stops nothing; ps shows complete (0) and crashed (3)', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(91);
  const app = tempApp({
    Procfile: `worker: ${fixture('forever', marker)}\ncss: echo built ${marker}\nlint: EXIT_CODE=3 ${fixture('crash-after', marker)}\n`,
  });
  const run = runDyno(['start', '-p', String(port), '--no-router', '--timeout', '1', '-c', 'css,lint'], { cwd: app.dir });
  try {
    await run.waitForLine(/css\.1 +\* State changed from up to complete/);
    await run.waitForLine(/lint\.1 +\* State changed from up to crashed/);
    const ps = await waitFor(async () => {
      const r = await runDynoToEnd(['ps', '--json'], { cwd: app.dir });
      const rows = (JSON.parse(r.stdout) as { dynos: DynoRow[] }).dynos;
      return rows.length === 3 ? rows : undefined;
    }, { what: 'ps with three dynos' });
    assert.deepEqual(ps.map((d) => [d.name, d.state, d.exitStatus ?? null, d.pid]), [
      ['worker.1', 'up', null, ps[0]!.pid],
      ['css.1', 'complete', 0, null],
      ['lint.1', 'crashed', 3, null],
    ]);
    const text = (await runDynoToEnd(['ps'], { cwd: app.dir })).stdout;
    assert.match(text, /^css\.1 +complete \(0\) /m);
    assert.match(text, /^lint\.1 +crashed \(3\) /m);
    assert.ok(!run.lines.some((l) => /css\.1 +\* State changed from (complete|crashed) to starting/.test(l)), 'css.1 was not restarted');
    assert.ok(!run.lines.some((l) => /lint\.1 +\* State changed from crashed to starting/.test(l)), 'lint.1 was not restarted');
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    run.signal('SIGKILL');
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('--exit-with stops the formation when that type exits, with its status; other types still restart', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(92);
  const app = tempApp({ Procfile: `worker: ${fixture('forever', marker)}\ntests: CRASH_AFTER_MS=300 EXIT_CODE=4 ${fixture('crash-after', marker)}\n` });
  const run = runDyno(['start', '-p', String(port), '--no-router', '--timeout', '1', '--exit-with', 'tests'], { cwd: app.dir });
  try {
    assert.equal(await run.exit, 4, run.stdout());
    assert.ok(run.lines.some((l) => /tests\.1 +\* Process exited with status 4/.test(l)));
    assert.ok(run.lines.some((l) => /Stopping all processes with SIGTERM/.test(l)));
  } finally {
    run.signal('SIGKILL');
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('--auto-restart keeps restarting that type under --no-restart', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(93);
  const app = tempApp({ Procfile: `flaky: ${fixture('crash-after', marker)}\nworker: ${fixture('forever', marker)}\n` });
  const run = runDyno(['start', '-p', String(port), '--no-router', '--timeout', '1', '--no-restart', '-r', 'flaky', '--backoff', '10ms,20ms'], { cwd: app.dir });
  try {
    await waitFor(() => run.lines.filter((l) => /flaky\.1 +\| CRASHING/.test(l)).length >= 3, { what: 'three runs of flaky.1' });
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    run.signal('SIGKILL');
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('start and check refuse an unknown type in --can-die, naming it, exit 2, nothing started', async () => {
  const app = tempApp({ Procfile: 'web: node -e 0\ncss: echo hi\n' });
  try {
    for (const verb of ['start', 'check']) {
      const r = await runDynoToEnd([verb, '--can-die', 'css,nosuch'], { cwd: app.dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^dyno: --can-die: unknown process type "nosuch"/m);
      assert.match(r.stderr, /the Procfile defines: web, css/);
    }
    const both = await runDynoToEnd(['check', '-c', 'css', '--exit-with', 'css'], { cwd: app.dir });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /css is named by both --can-die and --exit-with/);
    assert.equal((await runDynoToEnd(['check', '-c', 'css'], { cwd: app.dir })).code, 0);
  } finally {
    app.cleanup();
  }
});
