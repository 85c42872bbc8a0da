// `dyno scale` against a real `dyno start` of the example app while HTTP load runs through the router.
// Guarantee: no request fails except one in flight to a dyno being stopped (Heroku drops those too);
// every failure must be explained by a router error line naming a dyno that was scaled down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot, runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { basePortFor } from '../helpers/fixture.js';
import { copyApp } from '../helpers/example-app.js';
import { survivorsIn } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';
import { httpGet } from '../helpers/http-get.js';


// Keep `concurrency` GET loops running until stop(); record who answered and what failed.
function load(port: number, concurrency: number): { answeredBy: Map<string, number>; failures: string[]; total(): number; stop(): Promise<void> } {
  const answeredBy = new Map<string, number>();
  const failures: string[] = [];
  let running = true;
  let total = 0;
  const loop = async (): Promise<void> => {
    while (running) {
      total++;
      try {
        const res = await httpGet(port, '/');
        const dyno = /this is (web\.\d+)/.exec(res.body)?.[1];
        if (res.status === 200 && dyno) answeredBy.set(dyno, (answeredBy.get(dyno) ?? 0) + 1);
        else failures.push(`${res.status} ${res.body.slice(0, 80)}`);
      } catch (err) {
        failures.push(`client error ${(err as Error).message}`);
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return { answeredBy, failures, total: () => total, stop: async () => void ((running = false), await Promise.all(loops)) };
}

test('scale web=1 → 4 → 1 under load: new dynos get traffic, stopped ones none, no request fails except in flight to a stopped dyno', async (t) => {
  const example = copyApp();
  const app = { dir: example.app, cleanup: example.cleanup };
  const port = basePortFor(51);
  const run = runDyno(['start', 'web=1', 'worker=1', '-p', String(port), '--timeout', '2'], { cwd: app.dir });
  const ctl = (...args: string[]) => runDynoToEnd(args, { cwd: app.dir });
  let traffic: ReturnType<typeof load> | undefined;
  try {
    await run.waitForLine(/web\.1 +\* State changed from starting to up/);
    const live = load(port, 6);
    traffic = live;
    const up = await ctl('scale', 'web=4');
    assert.equal(up.code, 0, up.stderr);
    assert.equal(up.stdout, 'web=4 worker=1\n');
    await waitFor(() => ['web.1', 'web.2', 'web.3', 'web.4'].every((d) => live.answeredBy.has(d)), { timeoutMs: 10_000, what: () => `all 4 answering: ${[...live.answeredBy.keys()]}` });
    const ps = await ctl('ps', '--json');
    assert.deepEqual(JSON.parse(ps.stdout).dynos.map((d: { name: string; state: string }) => `${d.name}:${d.state}`), ['web.1:up', 'web.2:up', 'web.3:up', 'web.4:up', 'worker.1:up']);

    const down = await ctl('scale', 'web-3');
    assert.equal(down.code, 0, down.stderr);
    assert.equal(down.stdout, 'web=1 worker=1\n');
    await waitFor(async () => JSON.parse((await ctl('ps', '--json')).stdout).dynos.length === 2, { timeoutMs: 10_000, what: 'web.2–web.4 gone' });
    const before = new Map(live.answeredBy);
    const totalBefore = live.total();
    await waitFor(() => live.total() > totalBefore + 50, { timeoutMs: 10_000, what: '50 more requests' });
    await live.stop();
    t.diagnostic(`${live.total()} requests, ${live.failures.length} failed; answered by ${JSON.stringify(Object.fromEntries(live.answeredBy))}`);
    for (const d of ['web.2', 'web.3', 'web.4']) assert.equal(live.answeredBy.get(d), before.get(d), `${d} got requests after it was gone`);
    assert.ok(live.answeredBy.get('web.1')! > before.get('web.1')!, 'web.1 keeps answering');
    const routerErrors = run.lines.filter((l) => /at=error/.test(l));
    for (const line of routerErrors) assert.match(line, /code=H1[38] .*dyno=web\.[234] /, `a failure not explained by a stopping dyno: ${line}`);
    assert.equal(live.failures.length, routerErrors.length, `failures: ${live.failures.join('; ')}\nrouter: ${routerErrors.join('\n')}`);
    assert.ok(run.lines.some((l) => /api +. Scaled to clock@0:Standard-1X web@4:Standard-1X worker@1:Standard-1X by user /.test(l)), 'the scale is logged as an API event');
  } finally {
    await traffic?.stop();
    run.signal('SIGINT');
    assert.equal(await run.exit, 0, `${run.stdout()}${run.stderr()}`);
    await waitFor(() => survivorsIn(app.dir).length === 0, { what: 'no example process left', timeoutMs: 3000 });
    app.cleanup();
  }
});

test('bad scale arguments: exit 2 with dyno\'s message, and nothing changes', async () => {
  const example = copyApp();
  const app = { dir: example.app, cleanup: example.cleanup };
  const port = basePortFor(52);
  const run = runDyno(['start', 'web=1', '-p', String(port), '--timeout', '1'], { cwd: app.dir });
  const ctl = (...args: string[]) => runDynoToEnd(args, { cwd: app.dir });
  try {
    await run.waitForLine(/web\.1 +\* State changed from starting to up/);
    const cases: Array<[string[], RegExp]> = [
      [['web=2', 'nosuch=1'], /^dyno: Couldn't find that process type \(nosuch\)\.\n  hint: the Procfile defines: web, worker, clock\n$/],
      [['worker+1', 'web=x'], /^dyno: bad scale argument "web=x": the count must be a whole number\n/],
      [['web=-1'], /cannot carry a sign/],
      [['web', '2'], /bad scale argument "web"/],
      [['web=101'], /at most 100 dynos/],
      [['web-2'], /web runs 1 dyno/],
    ];
    for (const [args, message] of cases) {
      const r = await ctl('scale', ...args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
    const now = await ctl('scale');
    assert.equal(now.stdout, 'web=1\n', 'no argument prints the unchanged formation');
    const ps = JSON.parse((await ctl('ps', '--json')).stdout);
    assert.deepEqual(ps.dynos.map((d: { name: string }) => d.name), ['web.1']);
    assert.ok(!run.lines.some((l) => /Scaled to|web\.2|worker\.1/.test(l)), run.stdout());
  } finally {
    run.signal('SIGINT');
    assert.equal(await run.exit, 0, `${run.stdout()}${run.stderr()}`);
    await waitFor(() => survivorsIn(app.dir).length === 0, { what: 'no example process left', timeoutMs: 3000 });
    app.cleanup();
  }
});
