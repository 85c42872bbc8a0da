// `dyno load` against a real `dyno start`: a sweep of web=1..3 of a fixture app with a fixed cost per
// request (table shape, formation restored), H12s counted for a slow route under --router-timeout 1,
// Ctrl-C during a sweep restoring the formation, and one clear line for each bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDyno, runDynoToEnd, type DynoRun } from '../helpers/run-dyno.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { tempApp, type TempApp } from '../helpers/temp-app.js';
import { waitFor } from '../helpers/wait-for.js';

interface Started {
  app: TempApp;
  run: DynoRun;
  marker: string;
  dyno(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

// A running formation of the fixture app: web=1 worker=1, router timeout 1 s.
async function startApp(seed: number): Promise<Started> {
  const marker = uniqueMarker('dynoload');
  const app = tempApp({ Procfile: `web: ${fixture('web-cost', marker)}\nworker: ${fixture('forever', marker)}\n` });
  const run = runDyno(['start', 'web=1', 'worker=1', '-p', String(basePortFor(seed)), '--router-timeout', '1', '--timeout', '2'], { cwd: app.dir });
  await run.waitForLine(/web\.1 +\* State changed from starting to up/, 15_000);
  return {
    app,
    run,
    marker,
    dyno: (...args) => runDynoToEnd(args, { cwd: app.dir }),
    stop: async () => {
      run.signal('SIGINT');
      await run.exit;
      await assertNoSurvivors(marker);
      app.cleanup();
    },
  };
}

test('a sweep of web=1..3 measures each count through the router, prints the table, chart and verdict, and restores web=1', async () => {
  const s = await startApp(161);
  try {
    const out = await s.dyno('load', '/work', '--sweep', 'web=1..3', '-d', '1s', '--warmup', '300ms', '-c', '4', '--json');
    assert.equal(out.code, 0, out.stderr);
    const report = JSON.parse(out.stdout);
    assert.equal(report.kind, 'sweep');
    assert.deepEqual(report.rows.map((r: { count: number }) => r.count), [1, 2, 3]);
    for (const row of report.rows) {
      assert.equal(Object.keys(row.router.dynos).length, row.count, `each of the ${row.count} dynos got traffic: ${JSON.stringify(row.router.dynos)}`);
      assert.ok(row.router.status['2xx'] > 0 && row.rps > 0, JSON.stringify(row.router));
      assert.equal(row.router.status['5xx'], 0);
      assert.ok(row.router.p50 !== null && row.router.p99 >= row.router.p50);
      assert.ok(row.dynos.filter((d: { name: string; cpuPct: number | null }) => d.name.startsWith('web.') && d.cpuPct !== null).length === row.count);
    }
    assert.match(report.verdict, /^throughput /);
    assert.deepEqual(report.restored, { web: 1, worker: 1 });
    const ps = JSON.parse((await s.dyno('ps', '--json')).stdout);
    assert.deepEqual(ps.formation, { web: 1, worker: 1 });
    await waitFor(async () => JSON.parse((await s.dyno('ps', '--json')).stdout).dynos.length === 2, { timeoutMs: 10_000, what: 'web.2 and web.3 gone' });
    assert.ok(s.run.lines.some((l) => /Scaled to web@3:Standard-1X worker@1:Standard-1X/.test(l)), 'the sweep scaled to web=3');

    const text = await s.dyno('load', '/work', '--sweep', 'web=1..2', '-d', '500ms', '--warmup', '0', '-c', '2');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^web +rps +p50 +p95 +p99 +2xx +5xx +H codes +spread +web CPU +dyno CPU +machine$/m);
    assert.match(text.stdout, /^web=1 +\d+ +.*web\.1 100%/m);
    assert.match(text.stdout, /^web=2 +█+.* rps, p99 /m);
    assert.match(text.stdout, /^verdict: /m);
    assert.match(text.stdout, /^restored web=1 worker=1$/m);
    const csv = await s.dyno('load', '/work', '--sweep', 'web=1..2', '-d', '500ms', '--warmup', '0', '-c', '2', '--csv');
    assert.equal(csv.code, 0, csv.stderr);
    const lines = csv.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^type,count,rps,requests,p50_ms/);
    assert.match(lines[2]!, /^web,2,/);
  } finally {
    await s.stop();
  }
});

test('a slow route under --router-timeout 1: every request is an H12 503 at the router, counted per code, at each count', async () => {
  const s = await startApp(162);
  try {
    const out = await s.dyno('load', '/slow', '--sweep', 'web=1..2', '-n', '4', '-c', '2', '--warmup', '0', '--json');
    assert.equal(out.code, 0, out.stderr);
    const report = JSON.parse(out.stdout);
    for (const row of report.rows) {
      assert.deepEqual(row.router.codes, { H12: 4 }, JSON.stringify(row.router));
      assert.equal(row.router.status['5xx'], 4);
      assert.equal(row.router.requests, 4);
    }
    assert.match(report.verdict, /H12s at every count up to web=2 \(100 % of requests there\)/);
    const single = await s.dyno('load', '/slow', '-n', '2', '-c', '2', '--warmup', '0');
    assert.equal(single.code, 0, single.stderr);
    assert.match(single.stdout, /^H codes +H12×2$/m);
    assert.match(single.stdout, /^status +2xx 0, 3xx 0, 4xx 0, 5xx 2$/m);
  } finally {
    await s.stop();
  }
});

test('Ctrl-C during a sweep stops it, restores the formation it found, and exits 130', async () => {
  const s = await startApp(163);
  try {
    const sweep = runDyno(['load', '/work', '--sweep', 'web=2..3', '-d', '30s', '--warmup', '0', '-c', '2'], { cwd: s.app.dir });
    await sweep.waitForLine(/^web=2: measuring$/, 20_000);
    sweep.signal('SIGINT');
    assert.equal(await sweep.exit, 130, sweep.stderr());
    assert.match(sweep.stdout(), /^interrupted: /m);
    assert.match(sweep.stdout(), /^restored web=1 worker=1$/m);
    assert.deepEqual(JSON.parse((await s.dyno('ps', '--json')).stdout).formation, { web: 1, worker: 1 });
  } finally {
    await s.stop();
  }
});

test('bad input gets one clear line and a non-zero exit: an unknown type, a range over the limit, a path that 404s, a bad flag', async () => {
  const s = await startApp(164);
  try {
    const rows: Array<[string[], number, RegExp]> = [
      [['load', '--sweep', 'nosuch=1..2'], 2, /^dyno: Couldn't find that process type \(nosuch\)\.\n  hint: the Procfile defines: web, worker\n$/],
      [['load', '--sweep', 'web=1..100'], 2, /^dyno: --sweep web=1\.\.100: web=100 makes 101 dynos; the limit is 100 \(Heroku's\)\n/],
      [['load', '/nosuch', '-d', '1s'], 2, /^dyno: GET \/nosuch answers 404 through the router: there is nothing to load there\n  hint: check the path: curl -i http:\/\/127\.0\.0\.1:\d+\/nosuch shows what the app answers\n$/],
      [['load', '/work', '-c', 'many'], 2, /^dyno: -c expects a whole number from 1 to 5000, got "many"\n$/],
    ];
    for (const [args, code, stderr] of rows) {
      const out = await s.dyno(...args);
      assert.equal(out.code, code, `${args.join(' ')}: ${out.stderr}`);
      assert.match(out.stderr, stderr);
      assert.equal(out.stdout, '');
    }
    assert.deepEqual(JSON.parse((await s.dyno('ps', '--json')).stdout).formation, { web: 1, worker: 1 }, 'nothing was scaled');
  } finally {
    await s.stop();
  }
});

test('dyno load with no running formation says so in one line and exits 1', async () => {
  const app = tempApp({ Procfile: 'web: node web.js\n' });
  try {
    const out = await runDynoToEnd(['load', '/'], { cwd: app.dir });
    assert.equal(out.code, 1);
    assert.match(out.stderr, /^dyno: no dyno start is running for .*\n  hint: /);
  } finally {
    app.cleanup();
  }
});
