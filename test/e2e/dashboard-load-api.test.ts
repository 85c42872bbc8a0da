// The dashboard's load API against a real `dyno start --dashboard` of a fixture app with a fixed cost
// per request: POST /api/load starts a sweep (a `dyno load` child), its progress arrives as `load`
// events on /events, then the table rows, the text and the verdict; a second start gets 409; Stop ends
// a sweep and restores the formation; bad input gets one line; no process outlives a run or the app.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { runDyno, runDynoToEnd, type DynoRun } from '../helpers/run-dyno.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { tempApp, type TempApp } from '../helpers/temp-app.js';
import { waitFor } from '../helpers/wait-for.js';

interface Run {
  state: string;
  step: { phase: string; count?: number; text: string } | null;
  counts: number[] | null;
  rows: Array<{ count: number }>;
  report: { kind: string; rows: Array<{ count: number }>; verdict: string; interrupted: boolean; restored: Record<string, number> } | null;
  text: string | null;
  restored: Record<string, number> | null;
  error: { code: string; message: string; hint?: string } | null;
}

interface Dashboard {
  app: TempApp;
  run: DynoRun;
  marker: string;
  post(path: string, body: unknown): Promise<{ status: number; body: { ok: boolean; load?: Run; error?: Run['error'] } }>;
  /** Every `load` event so far. */
  events: Run[];
  formation(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

// Follow /events, keeping every `load` event's run.
function follow(port: number, cookie: string, events: Run[]): http.ClientRequest {
  const req = http.get({ host: '127.0.0.1', port, path: '/events', headers: { cookie }, agent: false }, (res) => {
    let rest = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      const frames = (rest + chunk).split('\n\n');
      rest = frames.pop() ?? '';
      for (const frame of frames) {
        const event = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (event === 'load' && data) events.push(JSON.parse(data) as Run);
      }
    });
  });
  req.on('error', () => undefined);
  return req;
}

async function startDashboard(seed: number): Promise<Dashboard> {
  const marker = uniqueMarker('dyno-dash-load');
  const app = tempApp({ Procfile: `web: ${fixture('web-cost', marker)}\nworker: ${fixture('forever', marker)}\n` });
  const run = runDyno(['start', 'web=1', 'worker=1', '-p', String(basePortFor(seed)), '--dashboard', '--timeout', '2'], { cwd: app.dir });
  const announced = await run.waitForLine(/dashboard http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/, 15_000);
  await run.waitForLine(/web\.1 +\* State changed from starting to up/, 15_000);
  const url = new URL(announced.slice(announced.indexOf('http://')));
  const port = Number(url.port);
  const cookie = `dyno_dashboard_${port}=${url.searchParams.get('token')}`;
  const events: Run[] = [];
  const stream = follow(port, cookie, events);
  const post: Dashboard['post'] = (path, body) =>
    new Promise((resolve, reject) => {
      const headers = { cookie, origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json' };
      const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  const formation = async (): Promise<Record<string, number>> => JSON.parse((await runDynoToEnd(['ps', '--json'], { cwd: app.dir })).stdout).formation;
  return {
    app, run, marker, post, events, formation,
    close: async () => {
      stream.destroy();
      run.signal('SIGINT');
      await run.exit;
      await assertNoSurvivors(marker);
      app.cleanup();
    },
  };
}

const lastEvent = (d: Dashboard, state: string): Promise<Run> => waitFor(() => [...d.events].reverse().find((e) => e.state === state), { timeoutMs: 60_000, what: `a load event in state ${state}` });

test('a sweep started from the dashboard reports progress per count over the event stream, then the table, text and verdict, and restores web=1; a second start meanwhile is a 409', async () => {
  const d = await startDashboard(166);
  try {
    const child = uniqueMarker('dyno-load-child');
    const body = { path: `/work?${child}`, connections: 2, duration: '1s', warmup: '0', sweep: { type: 'web', from: 1, to: 2 } };
    const started = await d.post('/api/load', body);
    assert.equal(started.status, 200, JSON.stringify(started.body));
    assert.ok(['running', 'finished'].includes(started.body.load!.state), started.body.load!.state);
    assert.deepEqual(started.body.load!.counts, [1, 2]);
    const second = await d.post('/api/load', { ...body, sweep: undefined });
    assert.equal(second.status, 409);
    assert.equal(second.body.error!.code, 'ALREADY_RUNNING');
    assert.match(second.body.error!.message, /^a load run is already running \(a sweep of web=1\.\.2, started at \d\d:\d\d:\d\d\): one at a time$/);

    const done = await lastEvent(d, 'finished');
    const measuring = d.events.filter((e) => e.step?.phase === 'measuring').map((e) => e.step!.count);
    assert.deepEqual([...new Set(measuring)], [1, 2], 'progress named each count as it was measured');
    assert.ok(d.events.some((e) => e.state === 'running' && e.rows.length === 1 && e.step?.count === 2), 'the first row arrived before the second count was measured');
    assert.deepEqual(done.report!.rows.map((r) => r.count), [1, 2]);
    assert.match(done.report!.verdict, /^throughput /);
    assert.match(done.text!, /^web +rps +p50/m);
    assert.match(done.text!, /^web=2 +█+.* rps, p99 /m);
    assert.match(done.text!, new RegExp(`^verdict: ${done.report!.verdict.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.deepEqual(done.restored, { web: 1, worker: 1 });
    assert.deepEqual(await d.formation(), { web: 1, worker: 1 });
    await assertNoSurvivors(child);
  } finally {
    await d.close();
  }
});

test('Stop ends a sweep as Ctrl-C does: the report says interrupted, the formation found is restored, no child is left; a second Stop is a 409', async () => {
  const d = await startDashboard(167);
  try {
    const child = uniqueMarker('dyno-load-child');
    const started = await d.post('/api/load', { path: `/work?${child}`, connections: 2, duration: '30s', warmup: '0', sweep: { type: 'web', from: 2, to: 3 } });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await waitFor(() => d.events.some((e) => e.step?.phase === 'measuring' && e.step.count === 2), { timeoutMs: 30_000, what: 'web=2 being measured' });
    const stopped = await d.post('/api/load/stop', {});
    assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
    const run = stopped.body.load!;
    assert.equal(run.state, 'stopped');
    assert.equal(run.report!.interrupted, true);
    assert.deepEqual(run.restored, { web: 1, worker: 1 });
    assert.deepEqual(await d.formation(), { web: 1, worker: 1 });
    await assertNoSurvivors(child);
    const again = await d.post('/api/load/stop', {});
    assert.equal(again.status, 409);
    assert.equal(again.body.error!.code, 'NOT_RUNNING');
  } finally {
    await d.close();
  }
});

test('bad input gets 400 and one clear line, and nothing is scaled: an unknown type, a range over the limit, a path that 404s, non-numeric values', async () => {
  const d = await startDashboard(168);
  try {
    const base = { path: '/work', connections: 2, duration: '1s', warmup: '0' };
    const rows: Array<[string, unknown, string, RegExp]> = [
      ['unknown type', { ...base, sweep: { type: 'nosuch', from: 1, to: 2 } }, 'UNKNOWN_TYPE', /^Couldn't find that process type \(nosuch\)\.$/],
      ['range over the limit', { ...base, sweep: { type: 'web', from: 1, to: 100 } }, 'BAD_FORMATION', /^--sweep web=1\.\.100: web=100 makes 101 dynos; the limit is 100 \(Heroku's\)$/],
      ['path that 404s', { ...base, path: '/nosuch' }, 'USAGE', /^GET \/nosuch answers 404 through the router: there is nothing to load there$/],
      ['non-numeric connections', { ...base, connections: 'many' }, 'USAGE', /^connections must be a whole number from 1 to 5000, got "many"$/],
      ['non-numeric sweep bound', { ...base, sweep: { type: 'web', from: '1', to: 'three' } }, 'USAGE', /^sweep to must be a whole number from 0 to 9999, got "three"$/],
      ['a duration that is not one', { ...base, duration: 'soon' }, 'USAGE', /^duration expects a duration such as 5, 5s, 200ms or 2m, got "soon"$/],
    ];
    for (const [name, body, code, message] of rows) {
      const r = await d.post('/api/load', body);
      assert.equal(r.status, 400, `${name}: ${JSON.stringify(r.body)}`);
      assert.equal(r.body.ok, false);
      assert.equal(r.body.error!.code, code, name);
      assert.match(r.body.error!.message, message, name);
      assert.doesNotMatch(JSON.stringify(r.body), /\bat .*\.(c?js|ts):\d+/, `${name}: no stack trace`);
    }
    assert.deepEqual(await d.formation(), { web: 1, worker: 1 }, 'nothing was scaled');
  } finally {
    await d.close();
  }
});

test('dyno start killed during a dashboard load: its `dyno load` child stops too (its stdin ends)', async () => {
  const d = await startDashboard(169);
  const child = uniqueMarker('dyno-load-child');
  try {
    const started = await d.post('/api/load', { path: `/work?${child}`, connections: 2, duration: '30s', warmup: '0' });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await waitFor(() => d.events.some((e) => e.step?.phase === 'measuring'), { timeoutMs: 20_000, what: 'the load measuring' });
    d.run.signal('SIGKILL');
    await d.run.exit;
    await assertNoSurvivors(child, 10_000);
  } finally {
    await assertNoSurvivors(d.marker, 10_000);
    d.app.cleanup();
  }
});
