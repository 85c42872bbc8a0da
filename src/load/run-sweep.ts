// `dyno load --sweep web=1..4`: for each count, scale the running formation live, wait until every
// dyno of the type is up (the router takes a web dyno as soon as it is), warm up, measure, record;
// then scale back to the formation found, also when interrupted (Ctrl-C) or when a step fails.
import { requestApp } from '../control/client.js';
import { DynoError } from '../core/errors.js';
import type { Formation } from '../core/types.js';
import type { LoadStep, SweepRow } from './load-report.js';
import { driveLoad } from './drive-load.js';
import { measureLoad, type MeasureOptions } from './measure-load.js';
import type { SweepSpec } from './sweep-spec.js';

export interface SweepOptions extends Omit<MeasureOptions, 'requestId'> {
  spec: SweepSpec;
  /** The formation found (restored at the end). */
  original: Formation;
  warmupMs: number;
  /** Request ids start with this; each phase adds its own suffix. */
  requestIdPrefix: string;
  /** Each dyno of the type must be up within this long after a scale (default 90 s). */
  readyTimeoutMs?: number;
  /** Told before each phase (progress). */
  onStep?: (step: LoadStep) => void;
  onRow?: (row: SweepRow) => void;
}

/** Rows measured (fewer than the counts when interrupted) and whether the restore was done. */
export async function runSweep(o: SweepOptions): Promise<{ rows: SweepRow[]; restored: Formation }> {
  const rows: SweepRow[] = [];
  const { type } = o.spec;
  try {
    for (const count of o.spec.counts) {
      if (o.signal?.aborted) break;
      o.onStep?.({ phase: 'scaling', count, text: `${type}=${count}: scaling, waiting for ${count} ${type} dyno${count === 1 ? '' : 's'} up` });
      await requestApp(o.root, { verb: 'scale', args: [`${type}=${count}`] });
      await waitReady(o, count);
      if (o.signal?.aborted) break;
      if (o.warmupMs > 0) {
        o.onStep?.({ phase: 'warming', count, text: `${type}=${count}: warming up for ${o.warmupMs / 1000} s` });
        await driveLoad({ ...o, durationMs: o.warmupMs, requests: undefined, headers: { ...o.headers, 'x-request-id': `${o.requestIdPrefix}-warm${count}` } });
      }
      if (o.signal?.aborted) break;
      o.onStep?.({ phase: 'measuring', count, text: `${type}=${count}: measuring` });
      const result = await measureLoad({ ...o, requestId: `${o.requestIdPrefix}-step${count}` });
      const row = { count, ...result };
      rows.push(row);
      o.onRow?.(row);
    }
  } finally {
    await requestApp(o.root, { verb: 'scale', args: [`${type}=${o.original[type] ?? 0}`] }).catch(() => undefined);
  }
  const after = await requestApp(o.root, { verb: 'ps' });
  return { rows, restored: after.formation };
}

// Poll `ps` until exactly `count` dynos of the type run and all are up (scaled-down ones are gone).
async function waitReady(o: SweepOptions, count: number): Promise<void> {
  const deadline = Date.now() + (o.readyTimeoutMs ?? 90_000);
  for (;;) {
    const ps = await requestApp(o.root, { verb: 'ps' });
    const mine = ps.dynos.filter((d) => d.type === o.spec.type);
    if (mine.length === count && mine.every((d) => d.state === 'up')) return;
    if (o.signal?.aborted) return;
    if (Date.now() > deadline) {
      const states = mine.map((d) => `${d.name} ${d.state}`).join(', ') || 'none';
      throw new DynoError('NOT_RUNNING', `${o.spec.type}=${count} did not come up within ${(o.readyTimeoutMs ?? 90_000) / 1000} s (${states})`, { hint: 'see `dyno logs`' });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
