// Orphan checks: find live processes whose command line contains a unique marker (read from /proc).
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { waitFor } from './wait-for.js';

/** A marker unique to one test, to put in fixture command lines. */
export function uniqueMarker(prefix = 'dynotest'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

/** Pids (not zombies) whose /proc/<pid>/cmdline contains `marker`. */
export function survivors(marker: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes(marker)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z') out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/**
 * Assert that nothing carrying `marker` is alive. Processes get a short moment to finish dying;
 * whatever still lives then is killed (so one failure does not leak into other tests) and reported.
 */
export async function assertNoSurvivors(marker: string, timeoutMs = 2000): Promise<void> {
  try {
    await waitFor(() => survivors(marker).length === 0, { timeoutMs, what: `no process with ${marker}` });
  } catch {
    const left = survivors(marker);
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    throw new Error(`orphaned processes survive: ${left.join(', ')} (${marker})`);
  }
}

/** Pids whose working directory is `dir` (for apps whose command lines carry no marker). */
export function survivorsIn(dir: string): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/cwd`) === dir) out.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}
