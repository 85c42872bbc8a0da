import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { Supervisor, type SupervisorEvent, type SupervisorOptions } from '../../../src/supervisor/supervisor.js';
import { assertNoSurvivors, uniqueMarker } from '../../helpers/survivors.js';
import { waitFor } from '../../helpers/wait-for.js';
import { Collector, fixture, freePort, spec, cleanUp, track } from './harness.js';

afterEach(cleanUp);

function supervisor(bus: Collector, o: Partial<SupervisorOptions> & { marker?: string } = {}): Supervisor {
  return track(new Supervisor({ root: os.tmpdir(), bus, graceMs: 200, restart: 'heroku', ...o }), o.marker ?? 'no-marker');
}

test('a worker logs Heroku lifecycle lines in order, and a clean stop ends with exit code 0', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, { marker });
  const command = fixture('forever', marker);
  sup.apply([spec({ command })]);
  await bus.waitForLine(/^READY$/);
  await sup.stop();
  assert.deepEqual(await sup.done, { exitCode: 0, reason: 'stopped' });
  assert.deepEqual(bus.texts('worker.1', 'heroku'), [
    `Starting process with command \`${command}\``,
    'State changed from starting to up',
    'State changed from up to down',
    'Process exited with status 143',
  ]);
  assert.deepEqual(bus.texts('', 'dyno'), ['Stopping all processes with SIGTERM']);
  assert.equal(sup.list()[0]!.state, 'down');
  await assertNoSurvivors(marker);
});

test('a web dyno is up only once its $PORT accepts connections', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, { marker });
  const states: Array<[string, number]> = [];
  sup.on((e) => e.type === 'state-changed' && states.push([e.to, Date.now()]));
  sup.apply([spec({ type: 'web', command: fixture('web', marker), port: await freePort(), env: { BIND_DELAY_MS: '300' } })]);
  assert.deepEqual(sup.backends().map((b) => b.state), ['starting']);
  await bus.waitForLine(/State changed from starting to up/);
  const [starting, up] = [states[0]![1], states[1]![1]];
  assert.ok(up - starting >= 300, `up ${up - starting} ms after starting, before the 300 ms bind delay`);
  assert.deepEqual(sup.backends(), [{ name: 'web.1', port: sup.list()[0]!.port, state: 'up' }]);
  await sup.stop();
  assert.deepEqual(states.map(([s]) => s), ['starting', 'up', 'stopping', 'down']);
  await assertNoSurvivors(marker);
});

test('a web dyno that never binds gets R10, SIGKILL, status 137, crashed, then the restart policy', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, { marker, bootTimeoutMs: 300 });
  sup.apply([spec({ type: 'web', command: fixture('ignore-term', marker), port: await freePort() })]);
  await bus.waitForLine(/^Starting process/, { dyno: 'web.1', times: 2 });
  await sup.stop();
  const heroku = bus.texts('web.1', 'heroku');
  assert.deepEqual(heroku.slice(1, 7), [
    'Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 0.3 seconds of launch',
    'Stopping process with SIGKILL',
    'Process exited with status 137',
    'State changed from starting to crashed',
    'State changed from crashed to starting',
    heroku[0],
  ]);
  await assertNoSurvivors(marker);
});

test('under restart never, the first dyno to exit stops the formation with its status', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, { marker, restart: 'never' });
  const exits: SupervisorEvent[] = [];
  sup.on((e) => e.type === 'exited' && exits.push(e));
  sup.apply([
    spec({ type: 'worker', command: fixture('forever', marker) }),
    spec({ type: 'crasher', command: fixture('crash-after', marker), env: { EXIT_CODE: '3', CRASH_AFTER_MS: '200' } }),
  ]);
  assert.deepEqual(await sup.done, { exitCode: 3, reason: 'exited' });
  assert.deepEqual(bus.texts('crasher.1', 'heroku').slice(-3), ['Process exited with status 3', 'State changed from up to crashed', 'State changed from crashed to down']);
  assert.deepEqual(bus.texts('worker.1', 'heroku').slice(-2), ['State changed from up to down', 'Process exited with status 143']);
  assert.deepEqual(exits.map((e) => e.type === 'exited' && [e.dyno, e.exit.status, e.crashed]), [['crasher.1', 3, true], ['worker.1', 143, false]]);
  await assertNoSurvivors(marker);
});

test('a crashed dyno takes what its command left running with it', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, { marker, restart: 'never' });
  sup.apply([spec({ command: `${fixture('forever', marker)} & sleep 0.3; exit 4` })]);
  assert.deepEqual(await sup.done, { exitCode: 4, reason: 'exited' });
  assert.equal(bus.count(/^READY$/), 1);
  await assertNoSurvivors(marker);
});

test('signalAll forwards SIGUSR1 and SIGUSR2 to every dyno without killing the shell around it', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, { marker });
  sup.apply([spec({ instance: 1, command: fixture('forever', marker) }), spec({ instance: 2, command: `${fixture('forever', marker)}; echo after` })]);
  await bus.waitForLine(/^READY$/, { times: 2 });
  sup.signalAll('SIGUSR1');
  await bus.waitForLine(/^GOT SIGUSR1$/, { times: 2 });
  sup.signalAll('SIGUSR2');
  await bus.waitForLine(/^GOT SIGUSR2$/, { times: 2 });
  assert.deepEqual(sup.list().map((d) => d.state), ['up', 'up']);
  await sup.stop();
  assert.equal(bus.count(/crashed/), 0);
  await assertNoSurvivors(marker);
});
