// The dashboard's load form → `dyno load` arguments: a table of bodies and what each gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynoError } from '../../../src/core/errors.js';
import { formatLoadArgs, parseLoadRequest } from '../../../src/dashboard/parse-load-request.js';

const ok: Array<[string, unknown, string[]]> = [
  ['defaults as the CLI has them', { path: '/' }, ['/', '-c', '10', '-d', '10000ms', '--warmup', '2000ms']],
  ['form fields arrive as strings', { path: '/work', connections: ' 4 ', duration: '500ms', warmup: '0' }, ['/work', '-c', '4', '-d', '500ms', '--warmup', '0ms']],
  ['a bare number of seconds', { path: '/work', duration: 2, warmup: '' }, ['/work', '-c', '10', '-d', '2000ms', '--warmup', '2000ms']],
  ['a sweep', { path: '/a?b=1', sweep: { type: 'web', from: '1', to: 3 } }, ['/a?b=1', '-c', '10', '-d', '10000ms', '--warmup', '2000ms', '--sweep', 'web=1..3']],
  ['a sweep of one count', { path: '/', sweep: { type: 'worker', from: 2 } }, ['/', '-c', '10', '-d', '10000ms', '--warmup', '2000ms', '--sweep', 'worker=2..2']],
  ['sweep null is no sweep', { path: '/', sweep: null }, ['/', '-c', '10', '-d', '10000ms', '--warmup', '2000ms']],
];
for (const [name, body, args] of ok) test(`accepted: ${name}`, () => assert.deepEqual(formatLoadArgs(parseLoadRequest(body)), args));

const bad: Array<[string, unknown, RegExp]> = [
  ['not an object', [1], /^the body must be a JSON object$/],
  ['no path', {}, /^path must start with "\/"/],
  ['a path without its slash', { path: 'work' }, /got "work"$/],
  ['a path with a space (it would split the arguments)', { path: '/a b' }, /hold no spaces/],
  ['connections not a number', { path: '/', connections: 'many' }, /^connections must be a whole number from 1 to 5000, got "many"$/],
  ['connections 0', { path: '/', connections: 0 }, /^connections must be a whole number from 1 to 5000, got 0$/],
  ['connections a fraction', { path: '/', connections: 2.5 }, /got 2\.5$/],
  ['a duration that is not one', { path: '/', duration: 'soon' }, /^duration expects a duration such as 5, 5s, 200ms or 2m, got "soon"$/],
  ['a duration too short', { path: '/', duration: '10ms' }, /^duration must be from 100 ms to 10 min, got "10ms"$/],
  ['a duration too long', { path: '/', duration: '1h' }, /^duration must be from 100 ms to 10 min/],
  ['a duration of the wrong type', { path: '/', duration: true }, /^duration must be a duration such as 2s or 500ms, got true$/],
  ['a sweep that is not an object', { path: '/', sweep: 'web=1..3' }, /^sweep must be an object/],
  ['a sweep type with odd characters', { path: '/', sweep: { type: 'web;rm', from: 1, to: 2 } }, /^sweep type must be a process type name, got "web;rm"$/],
  ['a sweep bound not a number', { path: '/', sweep: { type: 'web', from: 1, to: 'three' } }, /^sweep to must be a whole number from 0 to 9999, got "three"$/],
  ['a negative sweep bound', { path: '/', sweep: { type: 'web', from: -1, to: 2 } }, /^sweep from must be a whole number/],
];
for (const [name, body, message] of bad) {
  test(`refused: ${name}`, () => {
    assert.throws(() => parseLoadRequest(body), (err: unknown) => err instanceof DynoError && err.code === 'USAGE' && message.test(err.message));
  });
}
