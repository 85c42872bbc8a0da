import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Backend, DynoState } from '../../../src/core/types.js';
import { pickBackend, routeFor, type Routing } from '../../../src/router/balancer.js';

const b = (name: string, state: DynoState): Backend => ({ name, port: 5006, state });

const routing: Array<[string, Backend[], Routing]> = [
  ['no web dyno at all (web scaled to 0) is H14', [], 'H14'],
  ['only stopped dynos is H14', [b('web.1', 'down'), b('web.2', 'stopping')], 'H14'],
  ['all web dynos crashed is H10', [b('web.1', 'crashed'), b('web.2', 'crashed')], 'H10'],
  ['one up dyno among crashed ones gets the traffic', [b('web.1', 'crashed'), b('web.2', 'up')], 'route'],
  ['a dyno still starting makes requests wait (H20 later), not H10', [b('web.1', 'crashed'), b('web.2', 'starting')], 'wait'],
  ['a restarting dyno makes requests wait', [b('web.1', 'restarting')], 'wait'],
  ['up beats starting', [b('web.1', 'starting'), b('web.2', 'up')], 'route'],
];
for (const [name, backends, expected] of routing) {
  test(name, () => assert.equal(routeFor(backends), expected));
}

const picks: Array<[string, Backend[], Set<string>, number, string | undefined]> = [
  ['picks only among up dynos (starting/crashed/stopping get nothing)', [b('web.1', 'starting'), b('web.2', 'up'), b('web.3', 'crashed'), b('web.4', 'stopping')], new Set(), 0.99, 'web.2'],
  ['skips dynos already tried for this request (retry after ECONNREFUSED)', [b('web.1', 'up'), b('web.2', 'up')], new Set(['web.1']), 0, 'web.2'],
  ['returns nothing when every up dyno was tried (H21)', [b('web.1', 'up')], new Set(['web.1']), 0, undefined],
  ['returns nothing with no up dyno', [b('web.1', 'crashed')], new Set(), 0, undefined],
  ['random 0 picks the first up dyno', [b('web.1', 'up'), b('web.2', 'up'), b('web.3', 'up')], new Set(), 0, 'web.1'],
  ['random just below 1 picks the last up dyno', [b('web.1', 'up'), b('web.2', 'up'), b('web.3', 'up')], new Set(), 0.9999, 'web.3'],
];
for (const [name, backends, tried, random, expected] of picks) {
  test(name, () => assert.equal(pickBackend(backends, tried, () => random)?.name, expected));
}

test('the default random choice reaches every up dyno and never a down one', () => {
  const backends = [b('web.1', 'up'), b('web.2', 'crashed'), b('web.3', 'up'), b('web.4', 'up')];
  const seen = new Map<string, number>();
  for (let i = 0; i < 3000; i++) {
    const name = pickBackend(backends)?.name ?? 'none';
    seen.set(name, (seen.get(name) ?? 0) + 1);
  }
  assert.deepEqual([...seen.keys()].sort(), ['web.1', 'web.3', 'web.4']);
  for (const n of seen.values()) assert.ok(n > 800, `fair share, got ${n}`);
});
