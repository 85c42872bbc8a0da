import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import type { LogLine } from '../../../src/core/types.js';
import { ROUTER_ERRORS, type RouterCode } from '../../../src/router/router-errors.js';
import {
  formatInfoLine,
  formatRouterLine,
  parseRouterLine,
  publishRouterLine,
  routerLineFields,
  type ParsedRouterLine,
  type RouterLineFields,
  type RouterOutcome,
} from '../../../src/router/router-line.js';

const base = { method: 'GET', path: '/', host: 'example.herokuapp.com', requestId: 'abc-123', fwd: '204.204.204.204' };

const rows: Array<[string, RouterLineFields, string]> = [
  [
    'a served request logs at=info with connect, service, status and bytes in Heroku order',
    { ...base, dyno: 'web.1', connectMs: 1, serviceMs: 18, status: 200, bytes: 13 },
    'at=info method=GET path="/" host=example.herokuapp.com request_id=abc-123 fwd="204.204.204.204" dyno=web.1 connect=1ms service=18ms status=200 bytes=13 protocol=http',
  ],
  [
    'H12 carries code and desc after at= and before method=',
    { ...base, method: 'POST', path: '/poll', code: 'H12', dyno: 'web.1', connectMs: 1, serviceMs: 30000, status: 503, bytes: 0 },
    'at=error code=H12 desc="Request timeout" method=POST path="/poll" host=example.herokuapp.com request_id=abc-123 fwd="204.204.204.204" dyno=web.1 connect=1ms service=30000ms status=503 bytes=0 protocol=http',
  ],
  [
    'H14 with no dyno involved leaves dyno, connect, service and bytes empty',
    { ...base, code: 'H14', status: 503 },
    'at=error code=H14 desc="No web processes running" method=GET path="/" host=example.herokuapp.com request_id=abc-123 fwd="204.204.204.204" dyno= connect= service= status=503 bytes= protocol=http',
  ],
  [
    'H18 lines start with sock=backend',
    { ...base, code: 'H18', dyno: 'web.2', connectMs: 0, serviceMs: 5, status: 503, bytes: 10 },
    'sock=backend at=error code=H18 desc="Server Request Interrupted" method=GET path="/" host=example.herokuapp.com request_id=abc-123 fwd="204.204.204.204" dyno=web.2 connect=0ms service=5ms status=503 bytes=10 protocol=http',
  ],
  [
    'H27 is a sock=client warning with status 499',
    { ...base, code: 'H27', dyno: 'web.1', connectMs: 0, serviceMs: 7, status: 499, bytes: 0 },
    'sock=client at=warning code=H27 desc="Client Request Interrupted" method=GET path="/" host=example.herokuapp.com request_id=abc-123 fwd="204.204.204.204" dyno=web.1 connect=0ms service=7ms status=499 bytes=0 protocol=http',
  ],
  [
    'H26 puts cause= right after desc=',
    { ...base, code: 'H26', cause: 'unsupported expect header value', status: 417 },
    'at=error code=H26 desc="Request Error" cause="unsupported expect header value" method=GET path="/" host=example.herokuapp.com request_id=abc-123 fwd="204.204.204.204" dyno= connect= service= status=417 bytes= protocol=http',
  ],
  [
    'fractional milliseconds are rounded, path keeps its query',
    { ...base, path: '/a?b=1', dyno: 'web.1', connectMs: 0.4, serviceMs: 2.6, status: 101, bytes: 5 },
    'at=info method=GET path="/a?b=1" host=example.herokuapp.com request_id=abc-123 fwd="204.204.204.204" dyno=web.1 connect=0ms service=3ms status=101 bytes=5 protocol=http',
  ],
];

for (const [name, fields, expected] of rows) {
  test(name, () => assert.equal(formatRouterLine(fields), expected));
}

// Round trip: what formatRouterLine writes, parseRouterLine reads back, whatever the client put in Host or X-Forwarded-For.
const FORGED_HOST = 'x status=200 service=5ms code=H99 y';
const FORGED_FWD = '1.2.3.4" dyno=web.9 connect=1ms service=7ms status=204 bytes=1 protocol=http" code=H98 x="';
const CODES = Object.keys(ROUTER_ERRORS) as RouterCode[];
const roundTrips: Array<[string, RouterLineFields, ParsedRouterLine]> = [
  ['at=info with a service time', { ...base, dyno: 'web.1', connectMs: 1, serviceMs: 18, status: 200, bytes: 13 }, { status: 200, serviceMs: 18 }],
  ['at=info of an upgrade torn down before any service time', { ...base, dyno: 'web.1', status: 101, bytes: 0 }, { status: 101 }],
  ['at=info with a forged Host and fwd', { ...base, host: FORGED_HOST, fwd: FORGED_FWD, dyno: 'web.1', serviceMs: 3, status: 302, bytes: 0 }, { status: 302, serviceMs: 3 }],
  ['at=info with no service time and a forged Host', { ...base, host: FORGED_HOST, status: 404 }, { status: 404 }],
];
for (const code of CODES) {
  const status = ROUTER_ERRORS[code].status;
  roundTrips.push(
    [`${code} with a dyno and a service time`, { ...base, code, dyno: 'web.1', connectMs: 2, serviceMs: 1234, status, bytes: 0 }, { status, serviceMs: 1234, code }],
    [`${code} with no dyno involved`, { ...base, code, status }, { status, code }],
    [`${code} with a forged Host and fwd`, { ...base, code, host: FORGED_HOST, fwd: FORGED_FWD, status }, { status, code }],
  );
}
roundTrips.push([
  'H26 with a cause and a forged Host',
  { ...base, code: 'H26', cause: 'bad header', host: FORGED_HOST, status: 400 },
  { status: 400, code: 'H26' },
]);
for (const [name, fields, expected] of roundTrips) {
  test(`round trip: ${name}`, () => assert.deepEqual(parseRouterLine(formatRouterLine(fields)), expected));
}

const notRouterLines: Array<[string, string]> = [
  ['a dyno note about a late answer', 'late answer: web.1 GET "/" request_id=r answered with status=200 after 31000ms'],
  ['an app line that mentions the fields', 'at=info status=200 service=5ms'],
  ['a router line with something after protocol=http', `${formatRouterLine({ ...base, status: 200 })} status=500`],
  ['a line not starting with at=', `x ${formatRouterLine({ ...base, status: 200 })}`],
];
for (const [name, text] of notRouterLines) {
  test(`parse gives null for ${name}`, () => assert.equal(parseRouterLine(text), null));
}

// A request as node hands it to the router (only what a router line reads).
const req = { method: 'PUT', url: '/a?b=1', headers: { host: 'app.test' } } as unknown as IncomingMessage;
const forwarded = { headers: {}, requestId: 'rid-1', fwd: '10.0.0.1' };
const fieldRows: Array<[string, RouterOutcome, RouterLineFields]> = [
  [
    'the request fills method, path, host, request id and fwd',
    { dyno: 'web.1', serviceMs: 4, status: 201, bytes: 2 },
    { method: 'PUT', path: '/a?b=1', host: 'app.test', requestId: 'rid-1', fwd: '10.0.0.1', dyno: 'web.1', serviceMs: 4, status: 201, bytes: 2 },
  ],
  ...CODES.filter((code) => code !== 'H26').map((code): [string, RouterOutcome, RouterLineFields] => [
    `${code} defaults its status to ${ROUTER_ERRORS[code].status}`,
    { code, bytes: 0 },
    { method: 'PUT', path: '/a?b=1', host: 'app.test', requestId: 'rid-1', fwd: '10.0.0.1', code, bytes: 0, status: ROUTER_ERRORS[code].status },
  ]),
  [
    'H26 keeps an explicit 417',
    { code: 'H26', cause: 'unsupported expect header value', status: 417 },
    { method: 'PUT', path: '/a?b=1', host: 'app.test', requestId: 'rid-1', fwd: '10.0.0.1', code: 'H26', cause: 'unsupported expect header value', status: 417 },
  ],
];
for (const [name, outcome, expected] of fieldRows) {
  test(`routerLineFields: ${name}`, () => assert.deepEqual(routerLineFields(req, forwarded, outcome), expected));
}

test('publishRouterLine publishes one heroku[router] stdout line', () => {
  const lines: LogLine[] = [];
  const fields = routerLineFields(req, forwarded, { code: 'H12', dyno: 'web.1', bytes: 0 });
  publishRouterLine({ publish: (line) => lines.push(line) }, 42, fields);
  assert.deepEqual(lines, [{ ts: 42, source: 'heroku', dyno: 'router', stream: 'stdout', text: formatRouterLine(fields) }]);
});

test('formatInfoLine prints what formatRouterLine prints for the same at=info values', () => {
  const b = base;
  assert.equal(formatInfoLine(b.method, b.path, b.host, b.requestId, b.fwd, 'web.1', 1.4, 17.6, 200, 13), formatRouterLine({ ...b, dyno: 'web.1', connectMs: 1.4, serviceMs: 17.6, status: 200, bytes: 13 }));
  assert.equal(formatInfoLine(b.method, b.path, b.host, b.requestId, b.fwd, undefined, undefined, undefined, 502, undefined), formatRouterLine({ ...b, status: 502 }));
});
