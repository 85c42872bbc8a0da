// --cycle on a fake clock and the loopback-bind warning, with real processes.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoSurvivors, uniqueMarker } from '../../helpers/survivors.js';
import { Collector, FakeClock, fixture, freePort, spec, cleanUp, trackedSupervisor } from './harness.js';

afterEach(cleanUp);

test('--cycle: each dyno is cycled after the period plus jitter with `Cycling`, then the restart lines, and re-armed', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const clock = new FakeClock();
  const sup = trackedSupervisor(bus, marker, { clock, cycleMs: 60_000, random: () => 0.5 });
  const command = fixture('forever', marker);
  sup.apply([spec({ instance: 1, command }), spec({ instance: 2, command })]);
  await bus.waitForLine(/^READY$/, { times: 2 });
  assert.deepEqual(clock.dueIn(), [64_500, 64_500]);
  clock.advance(64_499);
  assert.equal(bus.count(/^Cycling$/), 0);
  clock.advance(1);
  await bus.waitForLine(/^READY$/, { times: 4 });
  await bus.waitForLine(/^Process exited with status 143$/, { times: 2 });
  for (const dyno of ['worker.1', 'worker.2']) {
    const heroku = bus.texts(dyno, 'heroku');
    assert.deepEqual(heroku.slice(2, 5), ['Cycling', 'State changed from up to starting', 'Stopping all processes with SIGTERM'], heroku.join('\n'));
    assert.deepEqual(heroku.slice(5).sort(), [`Starting process with command \`${command}\``, 'Process exited with status 143', 'State changed from starting to up'].sort());
  }
  assert.deepEqual(clock.dueIn(), [64_500, 64_500], 'the new runs are armed again');
  assert.equal(sup.list().every((d) => d.restarts === 1), true);
  await sup.stop();
  assert.deepEqual(clock.dueIn(), [], 'stopping cancels cycling');
  await assertNoSurvivors(marker);
});

test('a web dyno listening on 127.0.0.1 only is warned about once, with the reason, across restarts', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = trackedSupervisor(bus, marker);
  const port = await freePort();
  sup.apply([spec({ type: 'web', command: fixture('web', marker), port })]);
  await bus.waitForLine(/State changed from starting to up/, { dyno: 'web.1' });
  const warning = bus.lines.filter((l) => l.source === 'dyno' && l.dyno === 'web.1');
  assert.equal(warning.length, 1, bus.texts().join('\n'));
  assert.equal(warning[0]!.stream, 'stderr');
  assert.match(warning[0]!.text, new RegExp(`^warning: web\\.1 listens on 127\\.0\\.0\\.1:${port} only\\. .*on Heroku .*0\\.0\\.0\\.0`));
  await sup.restart('web.1');
  assert.equal(bus.count(/State changed from starting to up/, 'web.1'), 2);
  assert.equal(bus.lines.filter((l) => l.source === 'dyno' && l.dyno === 'web.1').length, 1, 'once per dyno');
  await sup.stop();
  await assertNoSurvivors(marker);
});

test('the loopback check can be turned off, and never concerns non-web dynos', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = trackedSupervisor(bus, marker, { bindCheck: false });
  sup.apply([spec({ type: 'web', command: fixture('web', marker), port: await freePort() })]);
  const other = trackedSupervisor(bus, marker);
  other.apply([spec({ type: 'worker', command: fixture('web', marker), port: await freePort() })]);
  await bus.waitForLine(/^READY$/, { times: 2 });
  await bus.waitForLine(/State changed from starting to up/, { dyno: 'web.1' });
  await Promise.all([sup.stop(), other.stop()]);
  assert.equal(bus.lines.filter((l) => l.source === 'dyno' && l.dyno !== '').length, 0);
  await assertNoSurvivors(marker);
});
