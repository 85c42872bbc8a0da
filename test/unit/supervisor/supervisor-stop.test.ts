import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { Supervisor, type SupervisorOptions } from '../../../src/supervisor/supervisor.js';
import { assertNoSurvivors, survivors, uniqueMarker } from '../../helpers/survivors.js';
import { waitFor } from '../../helpers/wait-for.js';
import { Collector, fixture, spec, cleanUp, track } from './harness.js';

afterEach(cleanUp);

function supervisor(bus: Collector, o: Partial<SupervisorOptions> & { marker?: string } = {}): Supervisor {
  return track(new Supervisor({ root: os.tmpdir(), bus, graceMs: 200, restart: 'heroku', ...o }), o.marker ?? 'no-marker');
}

test('stop leaves no orphans: grandchildren, a double fork and a setsid child whose parent lives', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, { marker });
  sup.apply([
    spec({ instance: 1, command: `${fixture('forever', marker)} & ${fixture('forever', marker)} & wait` }),
    spec({ instance: 2, command: `(${fixture('forever', marker)} &); ${fixture('forever', marker)}` }),
    spec({ instance: 3, command: fixture('grandchild', marker), env: { GRANDCHILD_SETSID: '1' } }),
  ]);
  await bus.waitForLine(/^READY$/, { times: 5 });
  await sup.stop();
  assert.deepEqual(await sup.done, { exitCode: 0, reason: 'stopped' });
  await assertNoSurvivors(marker);
});

test('a child ignoring SIGTERM gets R12 and SIGKILL after the grace period, and the exit code is 1', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, { marker });
  sup.apply([spec({ command: `exec ${fixture('ignore-term', marker)}` })]); // exec: no shell between us and it
  await bus.waitForLine(/^READY$/);
  const started = Date.now();
  await sup.stop();
  assert.ok(Date.now() - started >= 200, 'waited for the grace period');
  assert.deepEqual(bus.texts('worker.1', 'heroku').slice(-4), [
    'State changed from up to down',
    'Error R12 (Exit timeout) -> At least one process failed to exit within 0.2 seconds of SIGTERM',
    'Stopping remaining processes with SIGKILL',
    'Process exited with status 137',
  ]);
  assert.deepEqual(await sup.done, { exitCode: 1, reason: 'stopped' });
  await assertNoSurvivors(marker);
});

test('a grandchild that ignores SIGTERM and outlives its shell is still killed after the grace', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, { marker });
  sup.apply([spec({ command: fixture('grandchild', marker), env: { GRANDCHILD_SETSID: '1', GRANDCHILD_IGNORE_TERM: '1' } })]);
  await bus.waitForLine(/^READY$/);
  await sup.stop();
  assert.equal(bus.count(/^Error R12/), 1);
  await assertNoSurvivors(marker);
});

test('a second stop() kills at once instead of waiting out the grace', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, { marker, graceMs: 30_000 });
  sup.apply([spec({ command: `exec ${fixture('ignore-term', marker)}` })]); // exec: no shell between us and it
  await bus.waitForLine(/^READY$/);
  const started = Date.now();
  const first = sup.stop();
  await bus.waitForLine(/^IGNORED SIGTERM$/);
  await sup.stop();
  await first;
  assert.ok(Date.now() - started < 5000, 'did not wait 30 s');
  assert.equal(bus.count(/^Error R12/), 0);
  assert.equal(bus.count(/^Stopping remaining processes with SIGKILL$/), 1);
  await assertNoSurvivors(marker);
});

test('stop does not hang when the dyno has already exited and waits for its backoff', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, { marker, backoff: { initialMs: 60_000, maxMs: 60_000, resetAfterMs: 60_000 } });
  sup.apply([spec({ command: fixture('crash-after', marker) })]);
  await bus.waitForLine(/^Process exited with status 1$/, { times: 2 });
  await waitFor(() => sup.list()[0]!.state === 'crashed');
  const started = Date.now();
  await sup.stop();
  assert.ok(Date.now() - started < 1000, `stopped in ${Date.now() - started} ms`);
  assert.deepEqual(sup.list().map((d) => [d.state, d.restarts]), [['down', 1]]);
  await assertNoSurvivors(marker);
});

test('scaling down stops the highest numbers first with Heroku lines; the rest keeps running', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, { marker });
  const specs = [1, 2, 3].map((instance) => spec({ instance, command: fixture('forever', marker) }));
  sup.apply(specs);
  await bus.waitForLine(/^READY$/, { times: 3 });
  sup.apply(specs.slice(0, 1));
  await waitFor(() => sup.list().length === 1, { what: 'scale-down to finish' });
  for (const dyno of ['worker.2', 'worker.3']) {
    assert.deepEqual(bus.texts(dyno, 'heroku').slice(-3), ['State changed from up to down', 'Stopping all processes with SIGTERM', 'Process exited with status 143']);
  }
  const firstDown = bus.lines.find((l) => l.text === 'State changed from up to down');
  assert.equal(firstDown?.dyno, 'worker.3');
  assert.equal(sup.list()[0]!.state, 'up');
  assert.equal(survivors(marker).length, 1); // worker.1: node (bash exec'd it)
  await sup.stop();
  await assertNoSurvivors(marker);
});
