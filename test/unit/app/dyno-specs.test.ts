import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynoError, type ErrorCode } from '../../../src/core/errors.js';
import type { ProcessType } from '../../../src/core/types.js';
import { dynoEnv, expandFormation, resolveBasePort } from '../../../src/app/dyno-specs.js';

const types = (...names: string[]): ProcessType[] => names.map((name, index) => ({ name, command: `run-${name}`, index, line: index + 1 }));
const APP = types('web', 'worker', 'clock');

// Formation → [dyno name, port], with and without the router on the base port.
const portRows: Array<{ name: string; formation: Record<string, number>; router: boolean; base?: number; dynos: Array<[string, number]> }> = [
  { name: 'with the router: web.1 = base+1, worker.1 = base+101', formation: { web: 2, worker: 1, clock: 0 }, router: true, dynos: [['web.1', 5007], ['web.2', 5008], ['worker.1', 5107]] },
  { name: "without the router: foreman's base + 100·index + n − 1", formation: { web: 2, worker: 1, clock: 0 }, router: false, dynos: [['web.1', 5006], ['web.2', 5007], ['worker.1', 5106]] },
  { name: '§7 ports stay stable when a subset starts (heroku local and honcho shift them)', formation: { web: 0, worker: 0, clock: 1 }, router: true, dynos: [['clock.1', 5207]] },
  { name: '§7 web=100 does not reach the next block (overmind caps at 10, nobody checks)', formation: { web: 100, worker: 1, clock: 0 }, router: true, dynos: [] },
  { name: 'a custom base port', formation: { web: 1, worker: 0, clock: 0 }, router: true, base: 3000, dynos: [['web.1', 3001]] },
];

for (const row of portRows) {
  test(`ports: ${row.name}`, () => {
    const specs = expandFormation({ types: APP, formation: row.formation, env: {}, basePort: row.base ?? 5006, router: row.router });
    if (row.dynos.length) assert.deepEqual(specs.map((s) => [s.name, s.port]), row.dynos);
    const ports = specs.map((s) => s.port);
    assert.equal(new Set(ports).size, ports.length, 'no two dynos share a port');
    if (row.router) assert.ok(!ports.includes(row.base ?? 5006), 'the router port is free');
  });
}

test('ports past 65535 → PORT_RANGE naming the dyno', () => {
  assert.throws(
    () => expandFormation({ types: APP, formation: { web: 0, worker: 0, clock: 1 }, env: {}, basePort: 65400, router: true }),
    (err: unknown) => err instanceof DynoError && err.code === 'PORT_RANGE' && err.message.includes('clock.1'),
  );
});

test('specs carry name, type, instance, command and the per-dyno env', () => {
  const [spec] = expandFormation({ types: APP, formation: { web: 0, worker: 1, clock: 0 }, env: { A: '1' }, basePort: 5006, router: true });
  assert.deepEqual(spec, {
    name: 'worker.1', type: 'worker', instance: 1, command: 'run-worker', port: 5107,
    env: { A: '1', DYNO: 'worker.1', PS: 'worker.1', FOREMAN_WORKER_NAME: 'worker.1', PORT: '5107' },
  });
});

const envRows: Array<{ name: string; env: Record<string, string>; dyno: string; port?: number; expected: Record<string, string> }> = [
  { name: 'DYNO, PS and FOREMAN_WORKER_NAME are set (nobody else sets DYNO)', env: {}, dyno: 'web.1', port: 5007, expected: { DYNO: 'web.1', PS: 'web.1', FOREMAN_WORKER_NAME: 'web.1', PORT: '5007' } },
  { name: '§7 an inherited FOREMAN_WORKER_NAME does not leak', env: { FOREMAN_WORKER_NAME: 'web.9', DYNO: 'x', PS: 'y' }, dyno: 'worker.1', port: 5107, expected: { DYNO: 'worker.1', PS: 'worker.1', FOREMAN_WORKER_NAME: 'worker.1', PORT: '5107' } },
  { name: 'a stale PORT from the env is replaced', env: { PORT: '3000', A: 'a' }, dyno: 'web.1', port: 5007, expected: { A: 'a', DYNO: 'web.1', PS: 'web.1', FOREMAN_WORKER_NAME: 'web.1', PORT: '5007' } },
  { name: '`dyno run`: DYNO=run.N and no PORT unless given', env: { PORT: '3000', A: 'a' }, dyno: 'run.1', expected: { A: 'a', DYNO: 'run.1', PS: 'run.1', FOREMAN_WORKER_NAME: 'run.1' } },
];

for (const row of envRows) {
  test(`dynoEnv: ${row.name}`, () => assert.deepEqual(dynoEnv(row.env, row.dyno, row.port), row.expected));
}

// -p > PORT in env files > PORT in the shell > 5006; bad values throw.
const baseRows: Array<{ name: string; flag?: string; file?: string; shell?: string; port?: number; error?: ErrorCode }> = [
  { name: 'default 5006 (not 5000: macOS AirPlay)', port: 5006 },
  { name: '-p wins over everything', flag: '4000', file: '4100', shell: '4200', port: 4000 },
  { name: 'PORT in env files wins over the shell', file: '4100', shell: '4200', port: 4100 },
  { name: 'PORT in the shell', shell: '4200', port: 4200 },
  { name: 'an empty shell PORT is ignored', shell: '', port: 5006 },
  { name: '-p below 1024 is refused', flag: '80', error: 'PORT_RANGE' },
  { name: '-p above 65535 is refused', flag: '70000', error: 'PORT_RANGE' },
  { name: '-p abc is refused', flag: 'abc', error: 'PORT_RANGE' },
  { name: '§7 .env P=oops-style garbage in PORT is refused, not spliced', file: 'oops', error: 'PORT_RANGE' },
  { name: 'a negative port is refused', flag: '-5', error: 'PORT_RANGE' },
];

for (const row of baseRows) {
  test(`base port: ${row.name}`, () => {
    const run = () => resolveBasePort({ flag: row.flag, fileEnv: row.file === undefined ? {} : { PORT: row.file }, shellEnv: { PORT: row.shell } });
    if (row.error) assert.throws(run, (err: unknown) => err instanceof DynoError && err.code === row.error && err.exitCode === 2);
    else assert.equal(run(), row.port);
  });
}
