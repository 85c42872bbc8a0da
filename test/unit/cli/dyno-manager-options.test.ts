import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseFailed, resolveDynoManagerOptions, type DynoManagerFlags } from '../../../src/cli/dyno-manager-options.js';
import { DynoError } from '../../../src/core/errors.js';
import type { ProcessType } from '../../../src/core/types.js';

const types: ProcessType[] = [
  { name: 'release', command: 'rake db:migrate', index: 0, line: 1 },
  { name: 'web', command: 'npm start', index: 1, line: 2 },
];
const env = { PATH: '/bin', PORT: '9999', DYNO: 'stale', KEY: 'v' };

test('a release type becomes release.1 with the app env, its own DYNO and no inherited PORT', () => {
  const { release } = resolveDynoManagerOptions({}, { types, env });
  assert.deepEqual(release, {
    name: 'release.1',
    type: 'release',
    instance: 1,
    command: 'rake db:migrate',
    env: { PATH: '/bin', KEY: 'v', DYNO: 'release.1', PS: 'release.1', FOREMAN_WORKER_NAME: 'release.1' },
    port: 0,
  });
});

const rows: Array<[string, DynoManagerFlags, ProcessType[], { release: boolean; memory?: object; cycleMs?: number }]> = [
  ['no flags: the release runs, no memory sampling, no cycling', {}, types, { release: true }],
  ['--no-release skips it', { release: false }, types, { release: false }],
  ['no release type: nothing to run', {}, types.slice(1), { release: false }],
  ['--size eco: 512 MB, R15 at 1 GB', { size: 'eco' }, types, { release: true, memory: { size: 'eco', quotaMb: 512, r15Mb: 1024 } }],
  ['--size with the test quota', { size: 'eco', memoryQuota: '40' }, types, { release: true, memory: { size: 'custom', quotaMb: 40, r15Mb: 80 } }],
  ['--memory-quota alone turns sampling on', { memoryQuota: '2.5' }, types, { release: true, memory: { size: 'custom', quotaMb: 2.5, r15Mb: 5 } }],
  ['--cycle 24h', { cycle: '24h' }, types, { release: true, cycleMs: 86_400_000 }],
  ['--cycle 30s', { cycle: '30s' }, types, { release: true, cycleMs: 30_000 }],
];
for (const [name, flags, appTypes, expected] of rows) {
  test(`dyno manager flags: ${name}`, () => {
    const { release, memory, cycleMs } = resolveDynoManagerOptions(flags, { types: appTypes, env });
    assert.deepEqual({ release: release !== undefined, ...(memory && { memory }), ...(cycleMs !== undefined && { cycleMs }) }, expected);
  });
}

const bad: Array<[string, DynoManagerFlags, RegExp]> = [
  ['an unknown size', { size: 'huge' }, /unknown dyno size "huge"/],
  ['a quota that is not a number', { memoryQuota: 'lots' }, /--memory-quota .*"lots"/],
  ['a zero quota', { memoryQuota: '0' }, /--memory-quota/],
  ['a cycle that is not a duration', { cycle: 'daily' }, /--cycle expects a duration/],
  ['a zero cycle (it would restart forever)', { cycle: '0s' }, /--cycle expects a duration above 0/],
];
for (const [name, flags, message] of bad) {
  test(`dyno manager flags: ${name} is a usage error (exit 2)`, () => {
    assert.throws(() => resolveDynoManagerOptions(flags, { types, env }), (err: unknown) => err instanceof DynoError && err.code === 'USAGE' && err.exitCode === 2 && message.test(err.message));
  });
}

test('a failed release becomes RELEASE_FAILED with the release status as exit code', () => {
  const err = releaseFailed(137);
  assert.equal(err.code, 'RELEASE_FAILED');
  assert.equal(err.exitCode, 137);
  assert.equal(err.message, 'release phase failed: release.1 exited with status 137; no other dyno was started');
});
