// The dashboard's event stream over real HTTP on 127.0.0.1: a report that `dyno load` (run from a
// terminal) hands to dyno start reaches an open page at once, as a `load-report` event (the panel
// used to see it only on its next 3 s poll).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { LogBus } from '../../../src/logs/log-bus.js';
import { LoadBoard } from '../../../src/load/load-board.js';
import { Metrics } from '../../../src/dashboard/metrics.js';
import { DashboardServer } from '../../../src/dashboard/server.js';
import type { ControlTarget } from '../../../src/control/server.js';
import { waitFor } from '../../helpers/wait-for.js';

const TOKEN = 'c'.repeat(43);
const control: ControlTarget['control'] = {
  ps: () => ({ dynos: [], formation: { web: 1 } }),
  scale: async () => ({ web: 1 }),
  restart: async () => [],
  stop: async () => [],
};

test('a report handed to the load board goes out to open pages as a load-report event', async () => {
  const loads = new LoadBoard();
  const info = { root: '/app', maxDynos: 100, types: [], colours: {}, palette: ['#fff'] };
  const server = await DashboardServer.listen({ target: { control, bus: new LogBus(), loads }, metrics: new Metrics(), info, port: 0, tokens: [TOKEN] });
  let body = '';
  const req = http.get({ host: '127.0.0.1', port: server.port, path: '/events', headers: { host: `127.0.0.1:${server.port}`, cookie: `dyno_dashboard_${server.port}=${TOKEN}` }, agent: false });
  try {
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => req.on('response', resolve).on('error', reject));
    assert.equal(res.statusCode, 200);
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (body += chunk));
    await waitFor(() => body.includes('event: snapshot'));
    const report = { kind: 'run', plan: { method: 'GET', url: 'http://127.0.0.1:5000/work' } };
    loads.set(report, 1_700_000_000_000);
    await waitFor(() => body.includes('event: load-report'), { what: () => `a load-report event; got:\n${body}` });
    const frame = body.slice(body.indexOf('event: load-report'));
    assert.deepEqual(JSON.parse(/^data: (.*)$/m.exec(frame)![1]!), { report, at: 1_700_000_000_000 });
  } finally {
    req.destroy();
    await server.close();
  }
});
