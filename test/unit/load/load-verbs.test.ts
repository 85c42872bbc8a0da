// The control verbs dyno load adds: `stats` (router address, per-dyno CPU/RSS) and `load-report`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRequest } from '../../../src/control/protocol.js';
import { loadStats, routerAddressOf } from '../../../src/load/load-stats.js';
import { LoadBoard } from '../../../src/load/load-board.js';

test('stats and load-report decode; a load-report without a report object is refused', () => {
  assert.deepEqual(decodeRequest('{"v":1,"id":1,"verb":"stats"}'), { ok: true, id: 1, request: { verb: 'stats' } });
  assert.deepEqual(decodeRequest('{"v":1,"id":2,"verb":"load-report","report":{"kind":"load"}}'), { ok: true, id: 2, request: { verb: 'load-report', report: { kind: 'load' } } });
  const bad = decodeRequest('{"v":1,"id":3,"verb":"load-report","report":[1]}');
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.error.message : '', /needs a "report" object/);
});

test('the router address: a wildcard listen address is reached on loopback, IPv6 in brackets', () => {
  assert.deepEqual(routerAddressOf({ host: '0.0.0.0', port: 5006, timeoutMs: 30_000 }), { url: 'http://127.0.0.1:5006', timeoutMs: 30_000 });
  assert.equal(routerAddressOf({ host: '::1', port: 5006, timeoutMs: 1 }).url, 'http://[::1]:5006');
});

test('stats gives this process’s CPU and RSS as the manager’s, and a dyno’s tree CPU by its pid', () => {
  const s = loadStats({ dynos: [{ name: 'web.1', type: 'web', state: 'up', pid: process.pid, port: 5007, uptimeMs: 1, restarts: 0, rssBytes: 1, command: 'x' }], formation: { web: 1 } }, undefined);
  assert.equal(s.router, null);
  assert.equal(s.manager.pid, process.pid);
  assert.ok(s.manager.cpuMs > 0 && s.manager.rssBytes > 0);
  assert.ok((s.dynos[0]!.cpuMs ?? 0) > 0);
  assert.ok(s.cores >= 1);
});

test('the load board keeps the latest report and when it came', () => {
  const board = new LoadBoard();
  assert.deepEqual(board.get(), { report: null, at: null });
  board.set({ kind: 'load' }, 5);
  board.set({ kind: 'sweep' }, 7);
  assert.deepEqual(board.get(), { report: { kind: 'sweep' }, at: 7 });
});
