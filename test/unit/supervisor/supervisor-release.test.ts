// The release phase (HEROKU.md §2.9) with real processes: release.1 runs first, once; failure ends supervision.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNoSurvivors, uniqueMarker } from '../../helpers/survivors.js';
import { Collector, fixture, spec, cleanUp, trackedSupervisor } from './harness.js';

afterEach(cleanUp);

test('a release that exits 0 logs the Heroku one-off lines and resolves true; then the formation starts', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = trackedSupervisor(bus, marker);
  const command = `echo migrating; ${fixture('crash-after', marker)}`;
  assert.equal(await sup.release(spec({ type: 'release', command, env: { EXIT_CODE: '0' } })), true);
  assert.deepEqual(bus.texts('release.1', 'heroku'), [
    `Starting process with command \`${command}\``,
    'State changed from starting to up',
    'Process exited with status 0',
    'State changed from up to complete',
  ]);
  assert.deepEqual(bus.texts('release.1', 'app'), ['migrating', 'CRASHING']);
  assert.deepEqual(sup.list(), [], 'release.1 is no formation dyno');
  sup.apply([spec({ command: fixture('forever', marker) })]);
  await bus.waitForLine(/^READY$/, { dyno: 'worker.1' });
  await sup.stop();
  assert.deepEqual(await sup.done, { exitCode: 0, reason: 'stopped' });
  await assertNoSurvivors(marker);
});

const failures: Array<[string, string, Record<string, string>, number]> = [
  ['a non-zero exit fails the release with that status', 'crash-after', { EXIT_CODE: '3' }, 3],
  ['a release killed by a signal fails with 128 + signal', 'forever', {}, 137],
];
for (const [name, bin, env, status] of failures) {
  test(`release: ${name}; nothing else starts and it is never restarted`, async () => {
    const marker = uniqueMarker();
    const bus = new Collector();
    const sup = trackedSupervisor(bus, marker);
    const command = bin === 'forever' ? `${fixture(bin, marker)} & sleep 0.1; kill -9 $$` : fixture(bin, marker);
    assert.equal(await sup.release(spec({ type: 'release', command, env })), false);
    assert.deepEqual(await sup.done, { exitCode: status, reason: 'release-failed' });
    assert.deepEqual(bus.texts('release.1', 'heroku').slice(-2), [`Process exited with status ${status}`, 'State changed from up to complete']);
    assert.equal(bus.count(/^Starting process/), 1, 'one-off: no restart');
    sup.apply([spec({ command: fixture('forever', marker) })]);
    assert.deepEqual(sup.list(), [], 'apply after a failed release starts nothing');
    await sup.stop();
    assert.equal(bus.count(/Stopping all processes/), 0, 'nothing was running to stop');
    await assertNoSurvivors(marker);
  });
}

test('stop() during the release stops it (TERM, then KILL after the grace) and leaves no process', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = trackedSupervisor(bus, marker);
  const released = sup.release(spec({ type: 'release', command: `${fixture('ignore-term', marker)} & ${fixture('forever', marker)}` }));
  await bus.waitForLine(/^READY$/, { dyno: 'release.1', times: 2 });
  await sup.stop();
  assert.equal(await released, false);
  assert.deepEqual(await sup.done, { exitCode: 1, reason: 'stopped' }, 'one process needed SIGKILL');
  const heroku = bus.texts('release.1', 'heroku');
  assert.ok(heroku.includes('Stopping remaining processes with SIGKILL'), heroku.join('\n'));
  assert.deepEqual(heroku.slice(-2), ['Process exited with status 143', 'State changed from up to complete']);
  sup.apply([spec({ command: fixture('forever', marker) })]);
  assert.deepEqual(sup.list(), []);
  await assertNoSurvivors(marker);
});

test('what a successful release leaves running in the background dies with it (a one-off dyno ends)', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = trackedSupervisor(bus, marker);
  const out = path.join(os.tmpdir(), `${marker}.out`);
  const command = `${fixture('forever', marker)} > ${out} & until grep -q READY ${out} 2>/dev/null; do sleep 0.02; done; echo started`;
  try {
    assert.equal(await sup.release(spec({ type: 'release', command })), true);
    assert.deepEqual(bus.texts('release.1', 'app'), ['started'], 'the background process was up when the release ended');
    await assertNoSurvivors(marker);
    await sup.stop();
  } finally {
    fs.rmSync(out, { force: true });
  }
});

test('apply() while the release runs is held: the last formation asked for starts once it exits 0, none if it fails', async () => {
  for (const [code, started] of [['0', ['worker.2']], ['1', []]] as const) {
    const marker = uniqueMarker();
    const bus = new Collector();
    const sup = trackedSupervisor(bus, marker);
    const released = sup.release(spec({ type: 'release', command: `sleep 0.2; ${fixture('crash-after', marker)}`, env: { EXIT_CODE: code } }));
    sup.apply([spec({ instance: 1, command: fixture('forever', marker) })]);
    sup.apply([spec({ instance: 2, command: fixture('forever', marker) })]);
    assert.deepEqual(sup.list(), [], 'nothing starts during the release');
    assert.equal(await released, code === '0');
    assert.deepEqual(sup.list().map((d) => d.name), started);
    await sup.stop();
    await assertNoSurvivors(marker);
  }
});
