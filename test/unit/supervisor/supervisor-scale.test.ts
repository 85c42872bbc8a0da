// Live scaling against a real Supervisor: big scale-downs, fast down-then-up on shared ports, and a
// second stop() cutting short scale-down and restart rounds.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DynoSpec } from '../../../src/core/types.js';
import { readProcessTable } from '../../../src/supervisor/kill-tree.js';
import type { Supervisor } from '../../../src/supervisor/supervisor.js';
import { assertNoSurvivors, survivors, uniqueMarker } from '../../helpers/survivors.js';
import { waitFor } from '../../helpers/wait-for.js';
import { Collector, cleanUp, fixture, freePort, spec, trackedSupervisor } from './harness.js';

afterEach(cleanUp);

// Collect process warnings while `run` runs (they are emitted on the next tick: wait one turn before stopping).
async function warningsDuring(run: () => Promise<void>): Promise<string[]> {
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  try {
    await run();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  return warnings;
}

// Pids of the listed dynos' runs, by name.
function pidsOf(sup: Supervisor): Map<string, number> {
  return new Map(sup.list().map((d) => [d.name, d.pid ?? 0]));
}

test('scaling 20 → 1 stops the 19 in one round: no MaxListenersExceededWarning, none of them survives', async () => {
  const marker = uniqueMarker();
  const bus = new Collector();
  const sup = trackedSupervisor(bus, marker);
  const specs = Array.from({ length: 20 }, (_, i) => spec({ instance: i + 1, command: `exec ${fixture('forever', marker)}` }));
  sup.apply(specs);
  await bus.waitForLine(/^READY$/, { times: 20, timeoutMs: 20_000 });
  const stopped = [...pidsOf(sup)].filter(([name]) => name !== 'worker.1').map(([, pid]) => pid);
  const warnings = await warningsDuring(async () => {
    sup.apply(specs.slice(0, 1));
    await waitFor(() => sup.list().length === 1, { what: () => `scale-down to finish: ${JSON.stringify(sup.list().map((d) => [d.name, d.state]))}` });
  });
  assert.deepEqual(warnings, []);
  assert.equal(stopped.length, 19);
  assert.equal(bus.count(/^Process exited with status 143$/), 19, 'each stopped dyno exited of its SIGTERM');
  assert.equal(bus.count(/^Error R12/), 0);
  assert.equal(bus.lines.find((l) => l.text === 'State changed from up to down')?.dyno, 'worker.20', 'highest number first');
  const table = readProcessTable();
  assert.deepEqual(stopped.filter((pid) => table.groups.has(pid)), [], 'no process left in any stopped group');
  assert.deepEqual(sup.list().map((d) => [d.name, d.state]), [['worker.1', 'up']]);
  assert.equal(survivors(marker).length, 1, 'worker.1 keeps running');
  await sup.stop();
  await assertNoSurvivors(marker);
});

// Three web dynos on their own free ports that keep serving TERM_DELAY_MS after SIGTERM.
async function slowWebSpecs(marker: string): Promise<DynoSpec[]> {
  const ports = [await freePort(), await freePort(), await freePort()];
  return ports.map((port, i) => spec({ type: 'web', instance: i + 1, port, command: `exec ${fixture('web', marker)}`, env: { TERM_DELAY_MS: '300' } }));
}

// A supervisor running those three slow web dynos, all up.
async function threeSlowWebUp(marker: string): Promise<{ bus: Collector; sup: ReturnType<typeof trackedSupervisor>; specs: DynoSpec[] }> {
  const bus = new Collector();
  const sup = trackedSupervisor(bus, marker, { graceMs: 2000 });
  const specs = await slowWebSpecs(marker);
  sup.apply(specs);
  await waitFor(() => sup.list().filter((d) => d.state === 'up').length === 3, { what: 'three web dynos up' });
  return { bus, sup, specs };
}

test('web 3 → 1 → 3 at once: a new web.2 spawns only once the old one is gone, and is never up on the old process', async () => {
  const marker = uniqueMarker();
  const { bus, sup, specs } = await threeSlowWebUp(marker);
  const old = pidsOf(sup);
  const violations: string[] = [];
  // The router's view: a web.2/web.3 backend `up` while the old process of that name still lives is the bug.
  const check = (when: string): void => {
    const table = readProcessTable();
    for (const b of sup.backends()) {
      if (b.name !== 'web.1' && b.state === 'up' && table.groups.has(old.get(b.name)!)) violations.push(`${when}: ${b.name} up on the old process`);
    }
  };
  const off = sup.on((e) => check(`${e.type} ${e.dyno}`));
  const poll = setInterval(() => check('poll'), 5);
  try {
    sup.apply(specs.slice(0, 1));
    sup.apply(specs);
    await waitFor(() => sup.list().filter((d) => d.state === 'up' && d.pid !== old.get(d.name)).length === 2, {
      what: () => `new web.2 and web.3 up; got:\n${bus.lines.map((l) => `${l.dyno} ${l.source}: ${l.text}`).join('\n')}`,
    });
  } finally {
    off();
    clearInterval(poll);
  }
  assert.deepEqual(violations, []);
  for (const name of ['web.2', 'web.3']) {
    const lines = bus.lines.filter((l) => l.dyno === name && l.source === 'heroku');
    const texts = lines.map((l) => l.text).slice(-5);
    assert.deepEqual(texts.slice(0, 3), ['State changed from up to down', 'Stopping all processes with SIGTERM', 'Process exited with status 143']);
    assert.match(texts[3]!, /^Starting process with command /, 'the new run spawns after the old one exited');
    assert.equal(texts[4], 'State changed from starting to up');
    const took = lines.at(-3)!.ts - lines.at(-4)!.ts;
    assert.ok(took >= 250, `the old ${name} really kept its port a while (${took} ms)`);
  }
  assert.equal(bus.count(/crashed|Error R10/), 0, 'no new dyno crashed on a port still in use');
  await sup.stop();
  await assertNoSurvivors(marker);
});

test('web 3 → 1 → 3 → 1 at once: the new web.2 and web.3, still waiting for their predecessors, never spawn', async () => {
  const marker = uniqueMarker();
  const { bus, sup, specs } = await threeSlowWebUp(marker);
  sup.apply(specs.slice(0, 1));
  sup.apply(specs);
  const waiting = sup.list().filter((d) => d.state === 'starting');
  assert.deepEqual(waiting.map((d) => [d.name, d.pid]), [['web.2', null], ['web.3', null]], 'listed as starting, not spawned');
  sup.apply(specs.slice(0, 1));
  await waitFor(() => sup.list().length === 1, { what: () => `only web.1 left: ${JSON.stringify(sup.list().map((d) => [d.name, d.state]))}` });
  await new Promise((resolve) => setImmediate(resolve)); // a spawn due when the predecessors went would be logged by now
  assert.equal(bus.count(/^Starting process/), 3, 'only the first three runs ever started');
  assert.equal(survivors(marker).length, 1);
  await sup.stop();
  await assertNoSurvivors(marker);
});

const hurryRows: Array<{ name: string; begin(sup: Supervisor, specs: DynoSpec[]): void }> = [
  { name: 'a scale-down round', begin: (sup, specs) => sup.apply(specs.slice(0, 1)) },
  { name: 'a restart round', begin: (sup) => void sup.restart('worker.2') },
];
for (const row of hurryRows) {
  test(`a second stop() cuts short ${row.name} still waiting out its grace`, async () => {
    const marker = uniqueMarker();
    const bus = new Collector();
    const sup = trackedSupervisor(bus, marker, { graceMs: 30_000 });
    const specs = [1, 2].map((instance) => spec({ instance, command: `exec ${fixture('ignore-term', marker)}` }));
    sup.apply(specs);
    await bus.waitForLine(/^READY$/, { times: 2 });
    row.begin(sup, specs);
    await bus.waitForLine(/^IGNORED SIGTERM$/, { dyno: 'worker.2' });
    const started = Date.now();
    const first = sup.stop();
    await bus.waitForLine(/^IGNORED SIGTERM$/, { dyno: 'worker.1' });
    await sup.stop();
    await first;
    assert.ok(Date.now() - started < 5000, `did not wait out the 30 s grace (${Date.now() - started} ms)`);
    // worker.2's old run was SIGKILLed (its restart's new run too, if it had spawned by then).
    assert.ok(bus.count(/^Stopping remaining processes with SIGKILL$/, 'worker.2') >= 1, bus.texts('worker.2').join('\n'));
    await assertNoSurvivors(marker);
  });
}
