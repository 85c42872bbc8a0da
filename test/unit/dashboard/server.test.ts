// The dashboard server's security model over real HTTP on 127.0.0.1: token (URL once, then cookie),
// Host (DNS rebinding), Origin and Sec-Fetch-Site (CSRF, cross-site streams), JSON-only POSTs, no CORS;
// and that accepted actions reach FormationControl's methods exactly as the CLI verbs do.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import vm from 'node:vm';
import { DynoError } from '../../../src/core/errors.js';
import { LogBus } from '../../../src/logs/log-bus.js';
import { Metrics } from '../../../src/dashboard/metrics.js';
import { DashboardServer } from '../../../src/dashboard/server.js';
import type { ControlTarget } from '../../../src/control/server.js';

const TOKEN = 'a'.repeat(43);
const PREVIOUS = 'b'.repeat(43);
const calls: string[] = [];
const control: ControlTarget['control'] = {
  ps: () => ({ dynos: [], formation: { web: 1 } }),
  scale: async (args) => {
    calls.push(`scale ${args.join(' ')}`);
    if (args[0]?.startsWith('nosuch')) throw new DynoError('UNKNOWN_TYPE', "Couldn't find that process type (nosuch).");
    return { web: 3 };
  },
  restart: async (target) => (calls.push(`restart ${target ?? '(all)'}`), ['web.1']),
  stop: async (target) => (calls.push(`stop ${target}`), ['web.1']),
};
let server: DashboardServer;
let port: number;

before(async () => {
  const info = { root: '/app', maxDynos: 100, types: [], colours: {}, palette: ['#fff'] };
  server = await DashboardServer.listen({ target: { control, bus: new LogBus() }, metrics: new Metrics(), info, port: 0, tokens: [TOKEN, PREVIOUS] });
  port = server.port;
});
after(() => server.close());

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

// One request with exactly the headers given (Host defaults to 127.0.0.1:port); reads at most the first chunk of a stream.
function send(o: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: o.method ?? 'GET', path: o.path ?? '/', headers: { host: `127.0.0.1:${port}`, ...o.headers }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (res.headers['content-type']?.startsWith('text/event-stream') && body.includes('event: snapshot')) res.destroy();
      });
      const done = (): void => resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      res.on('end', done);
      res.on('close', done);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

const cookie = (token = TOKEN): Record<string, string> => ({ cookie: `other=1; dyno_dashboard_${port}=${token}` });
const self = (): string => `http://127.0.0.1:${port}`;
const json = (origin: string, token = TOKEN): Record<string, string> => ({ ...cookie(token), origin, 'content-type': 'application/json' });

interface Row {
  name: string;
  request: () => Parameters<typeof send>[0];
  status: number;
  calls?: string[];
  check?: (r: Reply) => void;
}

const rows: Row[] = [
  { name: 'the page without a token is refused', request: () => ({}), status: 401 },
  { name: 'a wrong token in the URL is refused', request: () => ({ path: `/?token=${'c'.repeat(43)}` }), status: 401 },
  { name: 'a token of another length is refused (no crash in the constant-time compare)', request: () => ({ path: '/?token=short' }), status: 401 },
  {
    name: 'the URL token becomes an HttpOnly SameSite=Strict cookie and leaves the address bar',
    request: () => ({ path: `/?token=${TOKEN}` }),
    status: 303,
    check: (r) => {
      assert.equal(r.headers.location, '/');
      assert.deepEqual(r.headers['set-cookie'], [`dyno_dashboard_${port}=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`]);
    },
  },
  {
    name: 'with the cookie the page is served with a strict CSP and no CORS header',
    request: () => ({ headers: cookie() }),
    status: 200,
    check: (r) => {
      assert.match(r.body, /<title>dyno dashboard<\/title>/);
      assert.match(String(r.headers['content-security-policy']), /default-src 'none'.*frame-ancestors 'none'/);
      assert.equal(r.headers['access-control-allow-origin'], undefined);
    },
  },
  { name: 'the script needs the token too', request: () => ({ path: '/app.js' }), status: 401 },
  { name: 'a token in the URL of anything but the page does not count', request: () => ({ path: `/app.js?token=${TOKEN}` }), status: 401 },
  { name: 'the script is served with the cookie', request: () => ({ path: '/app.js', headers: cookie() }), status: 200, check: (r) => assert.match(r.body, /new EventSource\('\/events'\)/) },
  { name: 'DNS rebinding: a foreign Host is refused even with the token', request: () => ({ path: `/?token=${TOKEN}`, headers: { ...cookie(), host: `evil.example:${port}` } }), status: 403 },
  { name: 'a Host naming another port is refused', request: () => ({ headers: { ...cookie(), host: `127.0.0.1:${port + 1}` } }), status: 403 },
  { name: 'localhost:port is accepted as Host', request: () => ({ headers: { ...cookie(), host: `localhost:${port}` } }), status: 200 },
  { name: 'the event stream sends a snapshot first', request: () => ({ path: '/events', headers: cookie() }), status: 200, check: (r) => assert.match(r.body, /^retry: 1000\n\nevent: snapshot\ndata: \{"root":"\/app"/) },
  { name: 'the event stream refuses a foreign Origin', request: () => ({ path: '/events', headers: { ...cookie(), origin: 'http://evil.example' } }), status: 403 },
  { name: 'the event stream refuses a cross-site fetch', request: () => ({ path: '/events', headers: { ...cookie(), 'sec-fetch-site': 'cross-site' } }), status: 403 },
  { name: 'the event stream needs the token', request: () => ({ path: '/events' }), status: 401 },
  { name: 'scale: the page’s own POST reaches FormationControl.scale', request: () => ({ method: 'POST', path: '/api/scale', headers: json(self()), body: '{"type":"web","count":3}' }), status: 200, calls: ['scale web=3'], check: (r) => assert.deepEqual(JSON.parse(r.body), { ok: true, formation: { web: 3 } }) },
  { name: 'CSRF: a POST from another origin is refused before it acts', request: () => ({ method: 'POST', path: '/api/scale', headers: json('http://evil.example'), body: '{"type":"web","count":3}' }), status: 403, calls: [] },
  { name: 'CSRF: a POST without Origin is refused', request: () => ({ method: 'POST', path: '/api/scale', headers: { ...cookie(), 'content-type': 'application/json' }, body: '{"type":"web","count":3}' }), status: 403, calls: [] },
  { name: 'CSRF: a form-encoded POST (no preflight) is refused', request: () => ({ method: 'POST', path: '/api/stop', headers: { ...json(self()), 'content-type': 'text/plain' }, body: '{"target":"web.1"}' }), status: 415, calls: [] },
  { name: 'a POST without the token is refused', request: () => ({ method: 'POST', path: '/api/restart', headers: { origin: self(), 'content-type': 'application/json' }, body: '{}' }), status: 401, calls: [] },
  { name: 'a CORS preflight gets no CORS answer', request: () => ({ method: 'OPTIONS', path: '/api/scale', headers: { origin: 'http://evil.example' } }), status: 405, check: (r) => assert.equal(r.headers['access-control-allow-origin'], undefined) },
  { name: 'a GET on an action is not an action', request: () => ({ path: '/api/stop', headers: cookie() }), status: 404, calls: [] },
  { name: 'a count past 100 is a USAGE error and changes nothing', request: () => ({ method: 'POST', path: '/api/scale', headers: json(self()), body: '{"type":"web","count":101}' }), status: 400, calls: [], check: (r) => assert.equal(JSON.parse(r.body).error.code, 'USAGE') },
  { name: 'a body that is not JSON is a USAGE error', request: () => ({ method: 'POST', path: '/api/scale', headers: json(self()), body: 'web=3' }), status: 400, calls: [] },
  { name: "FormationControl's errors come back with their code", request: () => ({ method: 'POST', path: '/api/scale', headers: json(self()), body: '{"type":"nosuch","count":1}' }), status: 400, calls: ['scale nosuch=1'], check: (r) => assert.equal(JSON.parse(r.body).error.code, 'UNKNOWN_TYPE') },
  { name: 'restart a type', request: () => ({ method: 'POST', path: '/api/restart', headers: json(`http://localhost:${port}`), body: '{"target":"web"}' }), status: 200, calls: ['restart web'] },
  { name: 'restart everything', request: () => ({ method: 'POST', path: '/api/restart', headers: json(self()), body: '{}' }), status: 200, calls: ['restart (all)'] },
  { name: 'stop a dyno', request: () => ({ method: 'POST', path: '/api/stop', headers: json(self()), body: '{"target":"web.1"}' }), status: 200, calls: ['stop web.1'] },
  { name: 'stop needs a target', request: () => ({ method: 'POST', path: '/api/stop', headers: json(self()), body: '{}' }), status: 400, calls: [] },
  {
    name: "the previous run's token still works (an open page reconnects) and is renewed to this run's",
    request: () => ({ path: '/events', headers: cookie(PREVIOUS) }),
    status: 200,
    check: (r) => assert.deepEqual(r.headers['set-cookie'], [`dyno_dashboard_${port}=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`]),
  },
];

for (const row of rows) {
  test(row.name, async () => {
    calls.length = 0;
    const reply = await send(row.request());
    assert.equal(reply.status, row.status, reply.body);
    if (row.calls) assert.deepEqual(calls, row.calls);
    row.check?.(reply);
  });
}

test('listens on 127.0.0.1 only: nothing answers on ::1', async () => {
  const refused = await new Promise<string>((resolve) => {
    const socket = net.connect({ host: '::1', port });
    socket.on('connect', () => (socket.destroy(), resolve('connected')));
    socket.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
  assert.notEqual(refused, 'connected');
});

test('the page, its style and its script weigh under 100 KB together and load nothing from elsewhere', async () => {
  const bodies = await Promise.all(['/', '/app.css', '/app.js'].map(async (p) => (await send({ path: p, headers: cookie() })).body));
  const bytes = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0);
  assert.ok(bytes < 100 * 1024, `${bytes} bytes`);
  for (const body of bodies) assert.deepEqual(body.match(/(https?:)?\/\/[\w.-]+\.[a-z]{2,}/g)?.filter((u) => u !== 'http://www.w3.org') ?? [], []);
  assert.doesNotThrow(() => new vm.Script(bodies[2]!, { filename: 'app.js' }), 'the script parses');
});
