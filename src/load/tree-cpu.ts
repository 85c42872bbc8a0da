// CPU time of a process tree from /proc/<pid>/stat (proc(5)): utime + stime of every live process of
// the tree, plus cutime + cstime (what its reaped children used, so a short-lived child still counts).
// kill-tree.ts reads the table's shape; this adds only the CPU fields, for `dyno load`.
import fs from 'node:fs';
import { descendantsOf, type ProcessTable } from '../supervisor/kill-tree.js';

/** Clock ticks per second: USER_HZ is 100 on every Linux ABI Node supports (sysconf(_SC_CLK_TCK)). */
const TICKS_PER_SECOND = 100;

/** CPU ms from one /proc/<pid>/stat text: fields 14–17 (utime, stime, cutime, cstime) in clock ticks; null when garbled. */
export function parseStatCpuMs(stat: string): number | null {
  const close = stat.lastIndexOf(')');
  if (close < 0) return null;
  const fields = stat.slice(close + 2).split(' ');
  const ticks = [11, 12, 13, 14].map((i) => Number(fields[i]));
  if (ticks.some((t) => !Number.isFinite(t) || t < 0)) return null;
  return (ticks.reduce((a, b) => a + b, 0) * 1000) / TICKS_PER_SECOND;
}

/** CPU ms used so far by `pid` and its descendants in `table`; null without /proc. */
export function treeCpuMs(pid: number, table: ProcessTable): number | null {
  let total = 0;
  let seen = false;
  for (const p of [pid, ...descendantsOf(pid, table)]) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
    } catch {
      continue; // gone while we looked (its time moves to its parent's cutime)
    }
    const ms = parseStatCpuMs(stat);
    if (ms === null) continue;
    total += ms;
    seen = true;
  }
  return seen ? total : null;
}
