// One measured phase of `dyno load`: follow the router's lines over the control socket (only this
// run's, by its request id), sample each dyno's CPU and RSS through `stats`, drive autocannon, then
// wait until the router has logged the requests it was sent, and sum it all up.
import { requestApp } from '../control/client.js';
import type { LogLine } from '../core/types.js';
import { driveLoad, type DriveOptions } from './drive-load.js';
import type { LoadStats } from './load-stats.js';
import type { DynoUse, LoadResult } from './load-report.js';
import { tallyRouterLines } from './router-tally.js';
import { readMachineBusyMs } from './machine-cpu.js';

export interface MeasureOptions extends Omit<DriveOptions, 'headers'> {
  root: string;
  headers: Record<string, string>;
  /** This phase's X-Request-Id: the router keeps a valid client id, so its lines name the phase. */
  requestId: string;
  routerTimeoutMs: number;
  /** How often dyno start is sampled for RSS (default 1 s). */
  sampleMs?: number;
}

const stats = (root: string): Promise<LoadStats> => requestApp(root, { verb: 'stats' });

/** Run one measured phase and report what the router, the client and the processes saw. */
export async function measureLoad(o: MeasureOptions): Promise<LoadResult> {
  const lines: string[] = [];
  const tag = ` request_id=${o.requestId} `;
  const follow = new AbortController();
  let subscribed!: () => void;
  const ready = new Promise<void>((resolve) => (subscribed = resolve));
  const streaming = requestApp(
    o.root,
    { verb: 'logs', num: 0, dyno: 'router', follow: true },
    { onLine: (l: LogLine) => void (l.text.includes(tag) && lines.push(l.text)), onReply: () => subscribed(), signal: follow.signal },
  );
  streaming.catch(() => subscribed()); // a failure shows in the stats call below
  await ready;
  try {
    const before = await stats(o.root);
    const cpuBefore = process.cpuUsage();
    const machineBefore = readMachineBusyMs();
    const peaks = new Map<string, number>();
    const sampler = sampleRss(o.root, peaks, o.sampleMs ?? 1000);
    record(peaks, before);
    const client = await driveLoad({ ...o, headers: { ...o.headers, 'x-request-id': o.requestId } });
    const after = await stats(o.root);
    const cpu = process.cpuUsage(cpuBefore);
    const machineAfter = readMachineBusyMs();
    sampler.stop();
    record(peaks, after);
    await settle(lines, client.sent, o.routerTimeoutMs + 3000);
    const elapsedMs = Math.max(1, after.at - before.at);
    const router = tallyRouterLines(lines);
    return {
      formation: after.formation,
      elapsedMs,
      rps: (router.answered * 1000) / elapsedMs,
      router,
      client,
      dynos: dynoUse(before, after, peaks, elapsedMs),
      manager: { cpuPct: pct(after.manager.cpuMs - before.manager.cpuMs, elapsedMs), peakRssBytes: peaks.get('') ?? null },
      loadGeneratorCpuPct: pct((cpu.user + cpu.system) / 1000, elapsedMs)!,
      machineCpuPct: machineBefore === null || machineAfter === null ? null : Math.min(100 * after.cores, pct(machineAfter - machineBefore, elapsedMs)!),
      cores: after.cores,
    };
  } finally {
    follow.abort();
    await streaming.catch(() => undefined);
  }
}

const pct = (cpuMs: number | null, wallMs: number): number | null => (cpuMs === null ? null : Math.max(0, (100 * cpuMs) / wallMs));

// Keep the largest RSS seen per dyno ('' is dyno start itself).
function record(peaks: Map<string, number>, s: LoadStats): void {
  const keep = (name: string, rss: number | null): void => void (rss !== null && rss > (peaks.get(name) ?? 0) && peaks.set(name, rss));
  keep('', s.manager.rssBytes);
  for (const d of s.dynos) keep(d.name, d.rssBytes);
}

// Sample `stats` every `everyMs` until stopped (a failed sample is skipped).
function sampleRss(root: string, peaks: Map<string, number>, everyMs: number): { stop(): void } {
  const timer = setInterval(() => void stats(root).then((s) => record(peaks, s), () => undefined), everyMs);
  return { stop: () => clearInterval(timer) };
}

// Per dyno: CPU over the phase (same run only: a restarted dyno's counter starts again) and peak RSS.
function dynoUse(before: LoadStats, after: LoadStats, peaks: Map<string, number>, elapsedMs: number): DynoUse[] {
  const start = new Map(before.dynos.map((d) => [d.name, d]));
  return after.dynos.map((d) => {
    const b = start.get(d.name);
    const same = b && b.pid === d.pid && b.cpuMs !== null && d.cpuMs !== null;
    return { name: d.name, cpuPct: same ? pct(d.cpuMs! - b.cpuMs!, elapsedMs) : null, peakRssBytes: peaks.get(d.name) ?? null };
  });
}

// Wait until the router has logged every request sent (or no new line came for 500 ms), at most `maxMs`.
async function settle(lines: string[], sent: number, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  let count = -1;
  let quietSince = Date.now();
  while (lines.length < sent && Date.now() < deadline) {
    if (lines.length !== count) [count, quietSince] = [lines.length, Date.now()];
    else if (Date.now() - quietSince > 500 && count > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
