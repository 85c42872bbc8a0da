// dyno load's flags → a plan on the router, and one USAGE line for each bad flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynoError } from '../../../src/core/errors.js';
import { parseLoadPlan, type LoadFlags } from '../../../src/load/load-plan.js';

const ROUTER = 'http://127.0.0.1:5006';
const flags = (o: Partial<LoadFlags> = {}): LoadFlags => ({ method: 'GET', warmup: '2s', ...o });

test('defaults: 10 connections for 10 s after a 2 s warm-up, on the router', () => {
  assert.deepEqual(parseLoadPlan('/', flags(), ROUTER), { plan: { url: 'http://127.0.0.1:5006/', method: 'GET', connections: 10, warmupMs: 2000, durationMs: 10_000 }, headers: {} });
});

test('--rate opens one connection per request a second (autocannon’s ceiling), -n replaces the duration, headers and body are kept', () => {
  const { plan, headers } = parseLoadPlan('/api?x=1', flags({ rate: '200', requests: '400', method: 'post', header: ['X-Api-Key: k:1'], body: '{}', warmup: '0' }), ROUTER);
  assert.deepEqual(plan, { url: 'http://127.0.0.1:5006/api?x=1', method: 'POST', connections: 200, warmupMs: 0, requests: 400, rate: 200 });
  assert.deepEqual(headers, { 'x-api-key': 'k:1', 'content-type': 'application/octet-stream' });
});

test('a path beginning with // stays on the router', () => {
  assert.equal(new URL(parseLoadPlan('//evil.example/x', flags(), ROUTER).plan.url).host, '127.0.0.1:5006');
});

const bad: Array<[string, string, Partial<LoadFlags>, RegExp]> = [
  ['a full URL instead of a path', 'http://x/', {}, /must start with "\/"/],
  ['-d together with -n', '/', { duration: '5s', requests: '100' }, /exclude each other/],
  ['zero connections', '/', { connections: '0' }, /-c expects a whole number/],
  ['a bad duration', '/', { duration: 'soon' }, /-d expects a duration/],
  ['fewer requests than connections', '/', { requests: '5', connections: '10' }, /fewer requests than connections/],
  ['a header without a colon', '/', { header: ['oops'] }, /-H expects "Name: value"/],
  ['a method with a space', '/', { method: 'GE T' }, /-m expects an HTTP method/],
];
for (const [name, path, o, message] of bad) {
  test(`dyno load refuses ${name}`, () => {
    assert.throws(() => parseLoadPlan(path, flags(o), ROUTER), (err: unknown) => err instanceof DynoError && err.code === 'USAGE' && message.test(err.message));
  });
}
