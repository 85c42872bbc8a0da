// Habits from foreman, overmind and heroku local: .foreman defaults, Procfile.dev, `web:2`, sizes in the formation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { tempApp } from '../helpers/temp-app.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import type { DynoRow } from '../../src/control/protocol.js';

test('.foreman gives the Procfile, env, port, formation and timeout; flags still win', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(94);
  const show = `echo "$DYNO $GREETING $PORT"; exec ${fixture('forever', marker)}`;
  const app = tempApp({
    'Procfile.dev': `worker: ${show}\nclock: ${show}\n`,
    'dev.env': 'GREETING=from-dev-env\n',
    '.foreman': `# foreman defaults\nprocfile: Procfile.dev\nenv: dev.env\nport: ${port}\nformation: worker=2,clock=0\ntimeout: 1\n`,
  });
  try {
    const run = runDyno(['start', '--no-router'], { cwd: app.dir });
    await run.waitForLine(new RegExp(`worker\\.2 +\\| worker\\.2 from-dev-env ${port + 1}$`));
    assert.ok(!run.lines.some((l) => /clock\.1/.test(l)), 'formation from .foreman: no clock');
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);

    const flags = runDyno(['start', '--no-router', 'clock=1', '-p', String(port + 50)], { cwd: app.dir });
    await flags.waitForLine(new RegExp(`clock\\.1 +\\| clock\\.1 from-dev-env ${port + 150}$`));
    assert.ok(!flags.lines.some((l) => /worker\.1/.test(l)), 'positional formation wins over .foreman');
    flags.signal('SIGINT');
    assert.equal(await flags.exit, 0);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('without a Procfile but with a Procfile.dev, start says to use -f Procfile.dev; a bad .foreman names its line', async () => {
  const app = tempApp({ 'Procfile.dev': 'web: node -e 0\n' });
  try {
    const r = await runDynoToEnd(['start'], { cwd: app.dir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^dyno: Procfile not found: Procfile; there is a Procfile\.dev: use -f Procfile\.dev$/m);
    const bad = tempApp({ Procfile: 'web: node -e 0\n', '.foreman': 'port: 5000\nlog: x\n' });
    try {
      const b = await runDynoToEnd(['check'], { cwd: bad.dir });
      assert.equal(b.code, 2);
      assert.match(b.stderr, /^dyno: \.foreman:2: unsupported key "log"$/m);
    } finally {
      bad.cleanup();
    }
  } finally {
    app.cleanup();
  }
});

test('web:2 is an error naming the token (not web=1); web=2:standard-2x runs two dynos with that quota and says so when scaling', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(95);
  const app = tempApp({ Procfile: `worker: ${fixture('forever', marker)}\nclock: ${fixture('forever', marker)}\n` });
  try {
    for (const verb of ['start', 'check']) {
      const r = await runDynoToEnd([verb, 'worker:2'], { cwd: app.dir });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^dyno: bad formation "worker:2": a size needs a count first \(did you mean worker=2\?\)/m);
    }
    const run = runDyno(['start', '--no-router', '-p', String(port), '-t', '1', 'worker=2:Standard-2X', 'clock=1'], { cwd: app.dir });
    await run.waitForLine(/worker\.2 +\| READY/);
    await run.waitForLine(/clock\.1 +\| READY/);
    const ps = JSON.parse((await runDynoToEnd(['ps', '--json'], { cwd: app.dir })).stdout) as { dynos: DynoRow[] };
    assert.deepEqual(ps.dynos.map((d) => [d.name, d.memoryQuotaMb]), [['worker.1', 1024], ['worker.2', 1024], ['clock.1', 512]]);
    assert.equal((await runDynoToEnd(['scale', 'clock=2'], { cwd: app.dir })).code, 0);
    await run.waitForLine(/api +. Scaled to clock@2:Standard-1X worker@2:Standard-2X by user /);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});
