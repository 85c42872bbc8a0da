import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import os from 'node:os';
import { DynoError } from '../../../src/core/errors.js';
import { Supervisor, type SupervisorOptions } from '../../../src/supervisor/supervisor.js';
import { assertNoSurvivors, uniqueMarker } from '../../helpers/survivors.js';
import { waitFor } from '../../helpers/wait-for.js';
import { Collector, FakeClock, fixture, freePort, spec, cleanUp, track } from './harness.js';

afterEach(cleanUp);

function supervisor(bus: Collector, o: Partial<SupervisorOptions> & { marker?: string } = {}): Supervisor {
  return track(new Supervisor({ root: os.tmpdir(), bus, graceMs: 200, restart: 'heroku', ...o }), o.marker ?? 'no-marker');
}

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

test('a crashed dyno restarts at once the first time, then after 1 s, 2 s, 4 s (capped)', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const clock = new FakeClock();
  const sup = supervisor(bus, { marker, clock, backoff: { initialMs: 1000, maxMs: 4000, resetAfterMs: 60_000 } });
  const command = fixture('crash-after', marker);
  sup.apply([spec({ command })]);
  await bus.waitForLine(/^Process exited with status 1$/, { times: 2 });
  await waitFor(() => sup.list()[0]!.state === 'crashed');
  assert.deepEqual(bus.texts('worker.1', 'heroku').slice(2, 7), [
    'Process exited with status 1',
    'State changed from up to crashed',
    'State changed from crashed to starting',
    `Starting process with command \`${command}\``,
    'State changed from starting to up',
  ]);
  for (const [run, delay] of [[3, 1000], [4, 2000], [5, 4000], [6, 4000]] as const) {
    assert.deepEqual(clock.dueIn(), [delay], `backoff before run ${run}`);
    clock.advance(delay - 1);
    assert.equal(bus.count(/^Starting process/), run - 1, `not restarted before ${delay} ms`);
    clock.advance(1);
    assert.equal(bus.count(/^Starting process/), run);
    await bus.waitForLine(/^Process exited with status 1$/, { times: run });
    await waitFor(() => sup.list()[0]!.state === 'crashed');
  }
  assert.equal(sup.list()[0]!.restarts, 5);
  await sup.stop();
  assert.deepEqual(clock.dueIn(), [], 'the pending restart was cancelled');
  await assertNoSurvivors(marker);
});

test('restart is rolling with Heroku lines; a web run (sharing $PORT) starts once the old one, slow to exit, is gone', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, { marker, graceMs: 2000 });
  const port = await freePort();
  const command = fixture('web', marker);
  sup.apply([spec({ type: 'web', command, port, env: { TERM_DELAY_MS: '300' } })]);
  await bus.waitForLine(/State changed from starting to up/);
  const oldPid = sup.list()[0]!.pid;
  assert.equal(await get(port), 'hello from web.1\n');
  await sup.restart('web.1');
  const status = sup.list()[0]!;
  assert.equal(status.state, 'up');
  assert.notEqual(status.pid, oldPid);
  assert.equal(status.restarts, 1);
  assert.deepEqual(bus.texts('web.1', 'heroku').slice(2), [
    'Restarting',
    'State changed from up to starting',
    'Stopping all processes with SIGTERM',
    'Process exited with status 143',
    `Starting process with command \`${command}\``,
    'State changed from starting to up',
  ]);
  assert.equal(bus.count(/crashed|EADDRINUSE/), 0, 'the new run did not race the old one for the port');
  assert.equal(await get(port), 'hello from web.1\n');
  await sup.stop();
  await assertNoSurvivors(marker);
});

test('restart by type restarts every dyno of that type one after the other, and only those', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, { marker });
  sup.apply([
    spec({ type: 'worker', instance: 1, command: fixture('forever', marker) }),
    spec({ type: 'worker', instance: 2, command: fixture('forever', marker) }),
    spec({ type: 'clock', command: fixture('forever', marker) }),
  ]);
  await bus.waitForLine(/^READY$/, { times: 3 });
  await sup.restart('worker');
  assert.deepEqual(sup.list().map((d) => [d.name, d.state, d.restarts]), [['worker.1', 'up', 1], ['worker.2', 'up', 1], ['clock.1', 'up', 0]]);
  const order = bus.lines.filter((l) => l.text === 'Restarting').map((l) => l.dyno);
  assert.deepEqual(order, ['worker.1', 'worker.2']);
  await sup.restart();
  assert.deepEqual(sup.list().map((d) => d.restarts), [2, 2, 1]);
  await sup.stop();
  await assertNoSurvivors(marker);
});

test('restart of a name that matches no dyno is an UNKNOWN_TYPE error', async () => {
  const sup = supervisor(new Collector());
  await assert.rejects(sup.restart('nosuch'), (err: unknown) => err instanceof DynoError && err.code === 'UNKNOWN_TYPE');
  await sup.stop();
});
