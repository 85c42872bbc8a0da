// One signal per process, prompt stops and no lost last lines, over many real stops (issue 10 items 2, 5, 6, 7).
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { ProcessSource } from '../../../src/supervisor/kill-tree.js';
import { RunTracker } from '../../../src/supervisor/run-tracker.js';
import { assertNoSurvivors, uniqueMarker } from '../../helpers/survivors.js';
import { tempApp } from '../../helpers/temp-app.js';
import { waitFor } from '../../helpers/wait-for.js';
import { projectRoot } from '../../helpers/run-dyno.js';
import { Collector, cleanUp, fixture, spec, trackedSupervisor } from './harness.js';

afterEach(cleanUp);

const STOPS = 20;

// `TERM <pid> <n>` lines: each pid's highest count.
function termCounts(bus: Collector): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of bus.texts('worker.1', 'app')) {
    const [word, pid, n] = text.split(' ');
    if (word === 'TERM') counts.set(pid!, Math.max(counts.get(pid!) ?? 0, Number(n)));
  }
  return counts;
}

const shapes: Array<{ name: string; command: (m: string) => string }> = [
  { name: 'a lone command (bash execs it)', command: (m) => fixture('count-term', m) },
  { name: 'with exec', command: (m) => `exec ${fixture('count-term', m)}` },
  { name: 'behind a shell that stays (a list, then the app)', command: (m) => `true; ${fixture('count-term', m)}; true` },
];

for (const source of [undefined, 'ps'] as Array<ProcessSource | undefined>) {
  for (const shape of shapes) {
    test(`[${source ?? 'proc'}] exactly one SIGTERM per process per stop over ${STOPS} restarts, ${shape.name}; status 0 for an app that exits 0`, async () => {
      const marker = uniqueMarker();
      const bus = new Collector();
      const sup = trackedSupervisor(bus, marker, { graceMs: 5000, tracker: new RunTracker({ source }) });
      sup.apply([spec({ command: shape.command(marker), env: { TERM_EXIT_MS: '150' } })]);
      await bus.waitForLine(/^READY$/);
      for (let i = 1; i <= STOPS; i++) {
        await sup.restart('worker.1');
        await bus.waitForLine(/^READY$/, { times: i + 1 });
      }
      await sup.stop();
      const counts = termCounts(bus);
      assert.equal(counts.size, STOPS + 1, `one counting app per run: ${[...counts].join(' ')}`);
      assert.deepEqual([...new Set(counts.values())], [1], `SIGTERMs per process: ${[...counts.values()].join(',')}`);
      if (!shape.name.startsWith('behind')) assert.equal(bus.count(/^Process exited with status 0$/), STOPS + 1);
      assert.equal(bus.count(/^Error R12/), 0);
      await assertNoSurvivors(marker);
    });
  }
}

test('a stop returns within 200 ms of the last process exiting (5 stops, grace 5 s)', async () => {
  const marker = uniqueMarker();
  for (let i = 0; i < 5; i++) {
    const bus = new Collector();
    const sup = trackedSupervisor(bus, marker, { graceMs: 5000 });
    sup.apply([spec({ command: `${fixture('count-term', marker)} & ${fixture('count-term', marker)} & wait`, env: { TERM_EXIT_MS: '300' } })]);
    await bus.waitForLine(/^READY$/, { times: 2 });
    const started = Date.now();
    await sup.stop();
    const took = Date.now() - started;
    assert.ok(took < 300 + 200 + 150, `stop took ${took} ms for apps that exit 300 ms after SIGTERM`);
    await assertNoSurvivors(marker);
  }
});

test(`npm start: the line the app writes 0.5 s after SIGTERM is there in ${STOPS} of ${STOPS} stops`, async () => {
  const marker = uniqueMarker();
  const app = tempApp({
    'package.json': JSON.stringify({ name: 'last-line', version: '1.0.0', scripts: { start: `node app.js ${marker}` } }),
    'app.js': "process.on('SIGTERM', () => setTimeout(() => { console.log('LAST LINE ' + process.pid); process.exit(0); }, 500));\nsetInterval(() => {}, 1 << 30);\nconsole.log('READY');\n",
  });
  try {
    const bus = new Collector();
    const env = { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_loglevel: 'silent' };
    const sup = trackedSupervisor(bus, marker, { graceMs: 5000, root: app.dir });
    sup.apply([spec({ command: 'npm start', env })]);
    await bus.waitForLine(/^READY$/, { timeoutMs: 15_000 });
    for (let i = 1; i <= STOPS; i++) {
      await sup.restart('worker.1');
      assert.equal(bus.count(/^LAST LINE \d+$/), i, `stop ${i}: the last line arrived before the run ended`);
      await bus.waitForLine(/^READY$/, { times: i + 1, timeoutMs: 15_000 });
    }
    await sup.stop();
    assert.equal(bus.count(/^LAST LINE \d+$/), STOPS + 1);
    const lastLine = bus.lines.findIndex((l) => /^LAST LINE/.test(l.text));
    const exitLine = bus.lines.findIndex((l) => l.text.startsWith('Process exited with status'));
    assert.ok(lastLine < exitLine, 'the last line comes before "Process exited"');
    await assertNoSurvivors(marker);
  } finally {
    app.cleanup();
  }
});

test('stdin is an open pipe: the real esbuild --watch stays up and rebuilds', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ 'in.js': 'console.log(1);\n' });
  try {
    const bus = new Collector();
    const esbuild = path.join(projectRoot, 'node_modules/.bin/esbuild');
    const sup = trackedSupervisor(bus, marker, { root: app.dir });
    sup.apply([spec({ command: `${esbuild} in.js --bundle --outfile=out.js --watch --log-level=info # ${marker}` })]);
    await waitFor(() => fs.existsSync(app.file('out.js')), { timeoutMs: 15_000, what: 'the first build' });
    fs.writeFileSync(app.file('in.js'), 'console.log(2);\n');
    await waitFor(() => fs.readFileSync(app.file('out.js'), 'utf8').includes('console.log(2)'), { timeoutMs: 15_000, what: () => `a rebuild; got:\n${bus.texts().join('\n')}` });
    assert.equal(sup.list()[0]!.state, 'up');
    assert.equal(bus.count(/stdin was closed/), 0, bus.texts().join('\n'));
    assert.equal(bus.count(/^Process exited/), 0, bus.texts().join('\n'));
    const child = (sup as unknown as { dynos: Map<string, { child: { stdin: unknown } | null }> }).dynos.get('worker.1')!.child!;
    assert.ok(child.stdin, 'Child.stdin is exposed');
    await sup.stop();
  } finally {
    app.cleanup();
  }
});
