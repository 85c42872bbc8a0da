import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { checkRequestLimits, forwardRequestHeaders, forwardResponseHeaders, stripHopByHop } from '../../../src/router/headers.js';

const ctx = { remoteAddress: '::ffff:10.1.2.3', localPort: 5006, nowMs: 1344689000123.7, newId: () => 'generated-uuid' };

// Each row: incoming headers → expected subset of the dyno-bound headers (undefined = absent).
const rows: Array<[string, IncomingHttpHeaders, Record<string, string | undefined>]> = [
  ['a valid client X-Request-Id (20–200 of [A-Za-z0-9+/=-]) is kept', { 'x-request-id': 'abcdefghij0123456789+/=-' }, { 'x-request-id': 'abcdefghij0123456789+/=-' }],
  ['a 19-character X-Request-Id is replaced', { 'x-request-id': 'a'.repeat(19) }, { 'x-request-id': 'generated-uuid' }],
  ['a 201-character X-Request-Id is replaced', { 'x-request-id': 'a'.repeat(201) }, { 'x-request-id': 'generated-uuid' }],
  ['an X-Request-Id with a space or underscore is replaced', { 'x-request-id': 'abcdefghij 0123456789_' }, { 'x-request-id': 'generated-uuid' }],
  ['no X-Request-Id gets a generated one', {}, { 'x-request-id': 'generated-uuid' }],
  ['X-Request-Start is whole milliseconds', {}, { 'x-request-start': '1344689000123' }],
  ['X-Forwarded-For gets the client IP (without ::ffff:)', {}, { 'x-forwarded-for': '10.1.2.3' }],
  ['X-Forwarded-For is appended on the right of a client value', { 'x-forwarded-for': '1.1.1.1, 2.2.2.2' }, { 'x-forwarded-for': '1.1.1.1, 2.2.2.2, 10.1.2.3' }],
  ['X-Forwarded-Proto and -Port are replaced, not appended', { 'x-forwarded-proto': 'https', 'x-forwarded-port': '443' }, { 'x-forwarded-proto': 'http', 'x-forwarded-port': '5006' }],
  ['Via is set to 1.1 vegur', {}, { via: '1.1 vegur' }],
  ['Via is appended to an existing one', { via: '1.0 squid' }, { via: '1.0 squid, 1.1 vegur' }],
  ['hop-by-hop headers are stripped', { connection: 'keep-alive', 'keep-alive': 'timeout=5', te: 'trailers', 'proxy-authorization': 'x', upgrade: 'h2c' }, { connection: undefined, 'keep-alive': undefined, te: undefined, 'proxy-authorization': undefined, upgrade: undefined }],
  ['headers named by Connection are stripped too', { connection: 'close, X-Secret', 'x-secret': 's', 'x-kept': 'k' }, { 'x-secret': undefined, 'x-kept': 'k' }],
  ['Expect never reaches the dyno', { expect: '100-continue' }, { expect: undefined }],
  ['ordinary headers pass unchanged', { host: 'example.com', cookie: 'a=b', 'content-type': 'text/plain' }, { host: 'example.com', cookie: 'a=b', 'content-type': 'text/plain' }],
];

for (const [name, incoming, expected] of rows) {
  test(`headers: ${name}`, () => {
    const { headers } = forwardRequestHeaders(incoming, ctx);
    for (const [key, value] of Object.entries(expected)) assert.equal(headers[key], value, key);
  });
}

test('headers: the router line gets the request id and the forwarded-for value sent to the dyno', () => {
  const f = forwardRequestHeaders({ 'x-forwarded-for': '9.9.9.9' }, ctx);
  assert.equal(f.requestId, 'generated-uuid');
  assert.equal(f.fwd, '9.9.9.9, 10.1.2.3');
});

test('headers: response hop-by-hop stripping also drops transfer-encoding (node re-frames)', () => {
  const out = stripHopByHop({ 'transfer-encoding': 'chunked', connection: 'keep-alive', 'content-type': 'a' }, true);
  assert.deepEqual(out, { 'content-type': 'a' });
});

const responseRows: Array<[string, IncomingHttpHeaders, Record<string, string | undefined>]> = [
  ['a response gets Via: 1.1 vegur, as from Heroku', { 'content-type': 'text/plain' }, { via: '1.1 vegur', 'content-type': 'text/plain' }],
  ['a response Via from the app is appended to', { via: '1.0 app-proxy' }, { via: '1.0 app-proxy, 1.1 vegur' }],
  ['response hop-by-hop and framing headers never reach the client', { connection: 'close', 'keep-alive': 'timeout=5', 'transfer-encoding': 'chunked' }, { connection: undefined, 'keep-alive': undefined, 'transfer-encoding': undefined }],
];
for (const [name, incoming, expected] of responseRows) {
  test(`headers: ${name}`, () => {
    const out = forwardResponseHeaders(incoming);
    for (const [key, value] of Object.entries(expected)) assert.equal(out[key], value, key);
  });
}

const pairs = (n: number, name = 'x-h', value = 'v'): string[] => Array.from({ length: n }, (_, i) => [`${name}${i}`, value]).flat();
const limits: Array<[string, { method: string; url: string; rawHeaders: string[] }, RegExp | undefined]> = [
  ['a normal request passes', { method: 'GET', url: '/', rawHeaders: ['Host', 'x'] }, undefined],
  ['a request line of exactly 8192 bytes passes', { method: 'GET', url: '/' + 'a'.repeat(8192 - 'GET / HTTP/1.1'.length), rawHeaders: [] }, undefined],
  ['a request line of 8193 bytes is rejected', { method: 'GET', url: '/' + 'a'.repeat(8193 - 'GET / HTTP/1.1'.length), rawHeaders: [] }, /request line of 8193 bytes/],
  ['1000 headers pass', { method: 'GET', url: '/', rawHeaders: pairs(1000) }, undefined],
  ['1001 headers are rejected', { method: 'GET', url: '/', rawHeaders: pairs(1001) }, /1001 headers/],
  ['a header name of 1000 bytes passes', { method: 'GET', url: '/', rawHeaders: ['n'.repeat(1000), 'v'] }, undefined],
  ['a header name of 1001 bytes is rejected', { method: 'GET', url: '/', rawHeaders: ['n'.repeat(1001), 'v'] }, /header name of 1001 bytes/],
  ['a header line of 8192 bytes passes', { method: 'GET', url: '/', rawHeaders: ['x', 'v'.repeat(8192 - 3)] }, undefined],
  ['a header line of 8193 bytes is rejected', { method: 'GET', url: '/', rawHeaders: ['x', 'v'.repeat(8193 - 3)] }, /header line of 8193 bytes/],
  ['multi-byte characters count as bytes, not characters', { method: 'GET', url: '/', rawHeaders: ['x', 'é'.repeat(4095)] }, /header line of 8193 bytes/],
];
for (const [name, head, expected] of limits) {
  test(`limits: ${name}`, () => {
    const problem = checkRequestLimits(head);
    if (expected) assert.match(problem ?? '', expected);
    else assert.equal(problem, undefined);
  });
}
