// CPU time of a process tree from /proc: the four CPU fields of stat, summed over the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readProcessTable } from '../../../src/supervisor/kill-tree.js';
import { parseStatCpuMs, treeCpuMs } from '../../../src/load/tree-cpu.js';
import { parseMachineBusyMs } from '../../../src/load/machine-cpu.js';

test('parseStatCpuMs sums utime, stime, cutime and cstime (clock ticks of 10 ms), even with ") " in the name', () => {
  const stat = '4242 (my) app) S 1 4242 4242 0 -1 4194304 100 0 0 0 150 25 10 5 20 0 1 0 100 1000 250 18446744073709551615';
  assert.equal(parseStatCpuMs(stat), (150 + 25 + 10 + 5) * 10);
  assert.equal(parseStatCpuMs('garbage'), null);
});

test('treeCpuMs of this process grows as it burns CPU', () => {
  const before = treeCpuMs(process.pid, readProcessTable())!;
  const start = process.cpuUsage();
  while (process.cpuUsage(start).user < 60_000); // 60 ms of CPU, however busy the machine is
  const after = treeCpuMs(process.pid, readProcessTable())!;
  assert.ok(after >= before + 30, `${before} → ${after}`);
});

test('parseMachineBusyMs counts every field of the cpu line but idle and iowait', () => {
  assert.equal(parseMachineBusyMs('cpu  100 5 50 1000 20 1 2 3 0 0\ncpu0 1 1 1 1\n'), (100 + 5 + 50 + 1 + 2 + 3) * 10);
  assert.equal(parseMachineBusyMs('intr 1 2 3\n'), null);
});
