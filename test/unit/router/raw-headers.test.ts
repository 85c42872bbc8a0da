// The raw-list header builders the router uses give the same headers as the object ones (headers.test.ts's rows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OutgoingHttpHeaders } from 'node:http';
import { forwardRawRequestHeaders, forwardRawResponseHeaders, forwardRequestHeaders, forwardResponseHeaders } from '../../../src/router/headers.js';

const ctx = { remoteAddress: '::ffff:10.1.2.3', localPort: 5006, nowMs: 1344689000123.7, newId: () => 'generated-uuid' };

// A raw list back to an object the way node builds req.headers (lower-case names, repeats joined).
function asObject(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    out[name] = out[name] === undefined ? raw[i + 1]! : `${out[name]}, ${raw[i + 1]}`;
  }
  return out;
}
const toRaw = (h: OutgoingHttpHeaders): string[] => Object.entries(h).flatMap(([k, v]) => [k, String(v)]);

const requests: Array<[string, string[]]> = [
  ['no headers', []],
  ['a valid client request id and forwarded headers', ['Host', 'a', 'X-Request-Id', 'abcdefghij0123456789+/=-', 'X-Forwarded-For', '1.1.1.1', 'X-Forwarded-Proto', 'https', 'X-Forwarded-Port', '443']],
  ['hop-by-hop and Expect', ['Connection', 'keep-alive', 'Keep-Alive', 'timeout=5', 'TE', 'trailers', 'Proxy-Authorization', 'x', 'Upgrade', 'h2c', 'Expect', '100-continue']],
  ['headers named by Connection', ['Connection', 'close, X-Secret', 'X-Secret', 's', 'X-Kept', 'k']],
  ['repeated X-Forwarded-For and Via', ['X-Forwarded-For', '1.1.1.1', 'x-forwarded-for', '2.2.2.2', 'Via', '1.0 a', 'Via', '1.0 b']],
  ['ordinary headers', ['Host', 'example.com', 'Cookie', 'a=b', 'Content-Type', 'text/plain', 'Content-Length', '3']],
];
for (const [name, raw] of requests) {
  test(`raw request headers equal the object ones: ${name}`, () => {
    const fromRaw = forwardRawRequestHeaders(raw, ctx);
    const fromObject = forwardRequestHeaders(asObject(raw), ctx);
    assert.deepEqual(asObject(fromRaw.headers), asObject(toRaw(fromObject.headers)));
    assert.equal(fromRaw.requestId, fromObject.requestId);
    assert.equal(fromRaw.fwd, fromObject.fwd);
  });
}

const responses: Array<[string, string[]]> = [
  ['plain', ['Content-Type', 'text/plain', 'Content-Length', '2']],
  ['an app Via', ['Via', '1.0 app-proxy']],
  ['hop-by-hop and framing', ['Connection', 'close', 'Keep-Alive', 'timeout=5', 'Transfer-Encoding', 'chunked', 'X-App', '1']],
];
for (const [name, raw] of responses) {
  test(`raw response headers equal the object ones: ${name}`, () => {
    assert.deepEqual(asObject(forwardRawResponseHeaders(raw)), asObject(toRaw(forwardResponseHeaders(asObject(raw)))));
  });
}

test('raw response headers keep every Set-Cookie and the app spelling', () => {
  const out = forwardRawResponseHeaders(['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'X-CamelCase', 'v']);
  assert.deepEqual(out, ['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'X-CamelCase', 'v', 'Via', '1.1 vegur']);
});
