import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatReleases } from '../../../src/deploy/release-lines.js';

test('dyno releases: Heroku CLI header with the current version, newest first, aligned, statuses shown', () => {
  const t0 = Date.UTC(2012, 7, 11, 12, 42, 0);
  const rows = [
    { version: 1, description: 'Deploy 1a2b3c4', sha: '1a2b3c4d5e', author: 'dev@example.com', createdAt: t0, status: '' },
    { version: 2, description: 'Deploy 9f8e7d6', sha: '9f8e7d6c5b', author: 'dev@example.com', createdAt: t0 + 60_000, status: 'release command failed' },
    { version: 3, description: 'Rollback to v1', sha: '1a2b3c4d5e', author: 'me@example.com', createdAt: t0 + 120_000, status: 'current' },
  ];
  assert.equal(
    formatReleases('myapp', rows, t0 + 180_000),
    '=== myapp Releases - Current: v3\n' +
      'v3  Rollback to v1                           1a2b3c4  me@example.com   2012/08/11 12:44:00 +0000 (~ 1m ago)  current\n' +
      'v2  Deploy 9f8e7d6 (release command failed)  9f8e7d6  dev@example.com  2012/08/11 12:43:00 +0000 (~ 2m ago)\n' +
      'v1  Deploy 1a2b3c4                           1a2b3c4  dev@example.com  2012/08/11 12:42:00 +0000 (~ 3m ago)\n',
  );
});
