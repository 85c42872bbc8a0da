// Dyno sizes with real processes (HEROKU.md §2.8): alloc.js holds ~60 MB (≈100 MB RSS with Node itself)
// against tiny quotas, sampled every 50 ms.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Supervisor, SupervisorOptions } from '../../../src/supervisor/supervisor.js';
import { assertNoSurvivors, uniqueMarker } from '../../helpers/survivors.js';
import { Collector, fixture, spec, cleanUp, trackedSupervisor } from './harness.js';

afterEach(cleanUp);

const supervisor = (bus: Collector, marker: string, o: Partial<SupervisorOptions> = {}): Supervisor => trackedSupervisor(bus, marker, { memorySampleMs: 50, ...o });

test('R14 above the quota: the usage line then the error; the dyno keeps running; ps shows RSS and quota', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, marker, { memory: { size: 'custom', quotaMb: 80, r15Mb: 160 } });
  sup.apply([spec({ command: fixture('alloc', marker) })]);
  await bus.waitForLine(/^Error R14 \(Memory quota exceeded\)$/, { dyno: 'worker.1' });
  const heroku = bus.texts('worker.1', 'heroku');
  const r14 = heroku.indexOf('Error R14 (Memory quota exceeded)');
  const usage = /^Process running mem=(\d+)MB\((\d+\.\d)%\)$/.exec(heroku[r14 - 1] ?? '');
  assert.ok(usage, heroku.join('\n'));
  assert.ok(Number(usage[1]) > 80 && Number(usage[1]) < 160, `mem=${usage[1]}MB`);
  assert.ok(Math.abs(Number(usage[2]) - (Number(usage[1]) / 80) * 100) < 1.5, `${usage[2]}% is mem as a percentage of the 80 MB quota`);
  const [status] = sup.list();
  assert.equal(status!.state, 'up');
  assert.equal(status!.memoryQuotaMb, 80);
  assert.ok(status!.rssMb! > 80, `rssMb ${status!.rssMb}`);
  assert.equal(bus.count(/R15|crashed/), 0);
  await sup.stop();
  await assertNoSurvivors(marker);
});

test('R15 at twice the quota: R15, SIGKILL, status 137, crashed, then the restart policy starts it again', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, marker, { memory: { size: 'custom', quotaMb: 40, r15Mb: 80 } });
  const command = fixture('alloc', marker);
  sup.apply([spec({ command })]);
  await bus.waitForLine(/^Starting process/, { dyno: 'worker.1', times: 2 });
  await sup.stop();
  const heroku = bus.texts('worker.1', 'heroku');
  const r15 = heroku.indexOf('Error R15 (Memory quota vastly exceeded)');
  assert.match(heroku[r15 - 1] ?? '', /^Process running mem=\d+MB\(\d+\.\d%\)$/, heroku.join('\n'));
  assert.deepEqual(heroku.slice(r15, r15 + 6), [
    'Error R15 (Memory quota vastly exceeded)',
    'Stopping process with SIGKILL',
    'Process exited with status 137',
    'State changed from up to crashed',
    'State changed from crashed to starting',
    `Starting process with command \`${command}\``,
  ]);
  await assertNoSurvivors(marker);
});

test('without --size nothing is sampled: no memory lines, no memory fields', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = supervisor(bus, marker);
  sup.apply([spec({ command: fixture('alloc', marker) })]);
  await bus.waitForLine(/^READY/, { dyno: 'worker.1' });
  assert.deepEqual(Object.keys(sup.list()[0]!).filter((k) => /rss|memory/i.test(k)), []);
  await sup.stop();
  assert.equal(bus.count(/mem=|R14|R15/), 0);
  await assertNoSurvivors(marker);
});
