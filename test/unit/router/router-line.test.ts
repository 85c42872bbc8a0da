import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRouterLine, type RouterLineFields } from '../../../src/router/router-line.js';

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
