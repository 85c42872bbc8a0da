// A `dyno run` beside a running formation of the same app: `dyno ps` lists run.N, the formation's log
// has Heroku's lifecycle lines for it, and `dyno run` itself prints only the command's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { tempApp } from '../helpers/temp-app.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';
import type { DynoRow } from '../../src/control/protocol.js';

const ps = async (dir: string): Promise<DynoRow[]> => (JSON.parse((await runDynoToEnd(['ps', '--json'], { cwd: dir })).stdout) as { dynos: DynoRow[] }).dynos;

test('dyno run registers with the running formation: ps lists run.N, the log has its lifecycle lines', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(102);
  const app = tempApp({ Procfile: `worker: ${fixture('forever', marker)}\n` });
  const start = runDyno(['start', '--no-router', '-p', String(port), '-t', '1'], { cwd: app.dir });
  try {
    await start.waitForLine(/worker\.1 +\| READY/);
    const command = `echo started $DYNO; while [ ! -f go ]; do sleep 0.05; done; exit 3 # ${marker}`;
    const one = runDyno(['run', command], { cwd: app.dir });
    const started = await one.waitForLine(/^started run\.\d+$/);
    const name = started.split(' ')[1]!;
    const row = await waitFor(async () => (await ps(app.dir)).find((d) => d.name === name), { what: `${name} in ps` });
    assert.deepEqual([row.type, row.state, row.command], ['run', 'up', command]);
    assert.ok(row.uptimeMs !== null && row.uptimeMs >= 0);
    assert.match((await runDynoToEnd(['ps'], { cwd: app.dir })).stdout, new RegExp(`^${name.replace('.', '\\.')} +up `, 'm'));
    fs.writeFileSync(app.file('go'), '');
    assert.equal(await one.exit, 3);
    assert.deepEqual(one.lines, [started], 'dyno run prints only the command output');
    const esc = name.replace('.', '\\.');
    await start.waitForLine(new RegExp(`${esc} +\\* Process exited with status 3$`));
    const lines = start.lines.filter((l) => new RegExp(`${esc} +\\*`).test(l)).map((l) => l.replace(/^.*\* /, ''));
    assert.deepEqual(lines, [`Starting process with command \`${command}\` by user ${(await import('node:os')).userInfo().username}`, 'State changed from starting to up', 'State changed from up to complete', 'Process exited with status 3']);
    const done = (await ps(app.dir)).find((d) => d.name === name);
    assert.deepEqual([done?.state, done?.exitStatus, done?.pid], ['complete', 3, null]);
    start.signal('SIGINT');
    assert.equal(await start.exit, 0);
  } finally {
    start.signal('SIGKILL');
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('dyno run without a formation running works as before, silently', async () => {
  const app = tempApp({});
  try {
    const r = await runDynoToEnd(['run', 'echo $DYNO'], { cwd: app.dir });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^run\.\d+\n$/);
    assert.equal(r.stderr, '');
  } finally {
    app.cleanup();
  }
});
