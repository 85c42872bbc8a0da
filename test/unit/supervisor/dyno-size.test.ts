import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynoError } from '../../../src/core/errors.js';
import { parseDynoSize } from '../../../src/supervisor/dyno-size.js';

// HEROKU.md §2.8: quota and R15 limit (2×) per size.
const sizes: Array<[string, string | undefined, number | undefined, { size: string; quotaMb: number; r15Mb: number }]> = [
  ['eco has 512 MB, R15 at 1 GB', 'eco', undefined, { size: 'eco', quotaMb: 512, r15Mb: 1024 }],
  ['basic has 512 MB', 'basic', undefined, { size: 'basic', quotaMb: 512, r15Mb: 1024 }],
  ['standard-1x has 512 MB', 'standard-1x', undefined, { size: 'standard-1x', quotaMb: 512, r15Mb: 1024 }],
  ['standard-2x has 1 GB, R15 at 2 GB', 'standard-2x', undefined, { size: 'standard-2x', quotaMb: 1024, r15Mb: 2048 }],
  ['performance-m has 2.5 GB, R15 at 5 GB', 'performance-m', undefined, { size: 'performance-m', quotaMb: 2560, r15Mb: 5120 }],
  ['performance-l has 14 GB, R15 at 28 GB', 'performance-l', undefined, { size: 'performance-l', quotaMb: 14336, r15Mb: 28672 }],
  ['sizes are case-insensitive, as `heroku ps` prints them (Standard-2X)', 'Standard-2X', undefined, { size: 'standard-2x', quotaMb: 1024, r15Mb: 2048 }],
  ['surrounding blanks are ignored', ' eco ', undefined, { size: 'eco', quotaMb: 512, r15Mb: 1024 }],
  ['the test override replaces the quota, R15 at twice it', 'performance-l', 40, { size: 'custom', quotaMb: 40, r15Mb: 80 }],
  ['the test override alone implies a size', undefined, 64, { size: 'custom', quotaMb: 64, r15Mb: 128 }],
];
for (const [name, value, quota, expected] of sizes) {
  test(`size: ${name}`, () => assert.deepEqual(parseDynoSize(value, quota), expected));
}

for (const bad of ['standard-3x', 'free', 'hobby', '', 'performance-l-ram', 'private-m']) {
  test(`size: "${bad}" is a usage error listing the sizes`, () => {
    assert.throws(
      () => parseDynoSize(bad),
      (err: unknown) =>
        err instanceof DynoError &&
        err.code === 'USAGE' &&
        err.exitCode === 2 &&
        err.message.includes(`"${bad}"`) &&
        err.hint === 'use one of eco, basic, standard-1x, standard-2x, performance-m, performance-l',
    );
  });
}
