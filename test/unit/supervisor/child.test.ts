import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { spawnChild } from '../../../src/supervisor/child.js';
import type { Watchdog } from '../../../src/supervisor/watchdog.js';
import { assertNoSurvivors, uniqueMarker } from '../../helpers/survivors.js';
import { Collector, fixture } from './harness.js';

test('a child leads its own process group and its output arrives as whole lines per stream', async () => {
  const bus = new Collector();
  const child = spawnChild({ dyno: 'web.1', command: `printf 'a\\n'; printf 'err\\n' >&2; ps -o pgid= -p $$; printf tail; exit 3`, cwd: os.tmpdir(), env: { PATH: process.env.PATH! }, bus });
  const exit = await child.ended;
  assert.deepEqual(exit, { code: 3, signal: null, status: 3 });
  const out = bus.lines.filter((l) => l.stream === 'stdout').map((l) => l.text.trim());
  assert.deepEqual(out, ['a', String(child.pid), 'tail']); // pgid = pid; the unterminated last line is flushed
  assert.deepEqual(bus.lines.filter((l) => l.stream === 'stderr').map((l) => [l.source, l.dyno, l.text]), [['app', 'web.1', 'err']]);
});

test('a child killed by a signal reports 128 + signal', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const child = spawnChild({ dyno: 'worker.1', command: `exec ${fixture('forever', marker)}`, cwd: os.tmpdir(), env: { PATH: process.env.PATH! }, bus });
  await bus.waitForLine(/^READY$/);
  child.signal('SIGKILL');
  assert.deepEqual(await child.ended, { code: null, signal: 'SIGKILL', status: 137 });
  await assertNoSurvivors(marker);
});

test('a child is registered with the watchdog while it lives', async () => {
  const calls: string[] = [];
  const watchdog: Watchdog = { register: (run) => calls.push(`+${run.pgid} ${run.runId}`), unregister: (run) => calls.push(`-${run.pgid} ${run.runId}`), flush: () => undefined, close: async () => {} };
  const child = spawnChild({ dyno: 'worker.1', command: 'exit 0', cwd: os.tmpdir(), env: {}, bus: new Collector(), watchdog });
  assert.match(child.runId, new RegExp(`^${process.pid}\\.\\d+$`));
  assert.deepEqual(calls, [`+${child.pid} ${child.runId}`]);
  await child.ended;
  assert.deepEqual(calls, [`+${child.pid} ${child.runId}`, `-${child.pid} ${child.runId}`]);
});

test('a child that cannot start (missing cwd) ends with status 127 and says why', async () => {
  const bus = new Collector();
  const child = spawnChild({ dyno: 'worker.1', command: 'true', cwd: '/nonexistent/dyno-test', env: {}, bus });
  assert.equal((await child.ended).status, 127);
  assert.match(bus.texts('worker.1').join('\n'), /could not start \/.*\/(ba)?sh: .*ENOENT/);
});
