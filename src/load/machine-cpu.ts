// CPU time the whole machine spent busy, from /proc/stat's first line (proc(5)): every field but idle
// and iowait, in clock ticks. Over a load run it shows how much of the cores went to other work
// (other programs on a shared laptop or CI machine), which no per-process number reveals.
import fs from 'node:fs';

const TICKS_PER_SECOND = 100;

/** Busy CPU ms of all cores together from /proc/stat text; null when it is not readable. */
export function parseMachineBusyMs(procStat: string): number | null {
  const first = procStat.split('\n', 1)[0] ?? '';
  const [label, ...fields] = first.trim().split(/\s+/);
  if (label !== 'cpu' || fields.length < 4) return null;
  const ticks = fields.slice(0, 8).map(Number); // user nice system idle iowait irq softirq steal
  if (ticks.some((t) => !Number.isFinite(t))) return null;
  const busy = ticks.reduce((a, b) => a + b, 0) - ticks[3]! - (ticks[4] ?? 0);
  return (busy * 1000) / TICKS_PER_SECOND;
}

/** Busy CPU ms of the machine so far; null without /proc. */
export function readMachineBusyMs(): number | null {
  try {
    return parseMachineBusyMs(fs.readFileSync('/proc/stat', 'utf8'));
  } catch {
    return null;
  }
}
