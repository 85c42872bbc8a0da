// The values one `dyno load` run and one `--sweep` produce: what the router saw, what the client saw,
// and what the dynos, dyno start and the load generator used. JSON-ready (the --json output and the
// dashboard's panel read these shapes).
import type { Formation } from '../core/types.js';
import type { RouterTally } from './router-tally.js';

/** How the load was driven. */
export interface LoadPlan {
  url: string;
  method: string;
  connections: number;
  /** Measured phase: a duration or a request count. */
  durationMs?: number;
  requests?: number;
  /** --rate: requests per second over all connections (autocannon's overallRate). */
  rate?: number;
  warmupMs: number;
}

/** A phase a run enters (progress): `web=2: measuring`. `count` is the swept type's count, absent for a single run. */
export interface LoadStep {
  phase: 'scaling' | 'warming' | 'measuring';
  count?: number;
  text: string;
}

/** One dyno during the measured phase. */
export interface DynoUse {
  name: string;
  /** CPU used over the phase, in % of one core (200 % = two cores busy). Null when unknown. */
  cpuPct: number | null;
  /** Largest process-tree RSS sampled (about once a second). */
  peakRssBytes: number | null;
}

/** What one measured phase gave. */
export interface LoadResult {
  formation: Formation;
  /** Wall time of the measured phase. */
  elapsedMs: number;
  /** Requests a dyno answered per second (the router's `at=info` lines; its H-code errors are counted apart). */
  rps: number;
  router: RouterTally;
  client: { sent: number; responses: number; errors: number; timeouts: number; p50: number; p99: number };
  dynos: DynoUse[];
  /** dyno start (supervisor, logs, router) in % of one core, and its peak RSS. */
  manager: { cpuPct: number | null; peakRssBytes: number | null };
  /** This process (autocannon) in % of one core. */
  loadGeneratorCpuPct: number;
  /** Every process on the machine together, in % of one core (others' work included); null without /proc. */
  machineCpuPct: number | null;
  cores: number;
}

/** One row of a sweep: the count of the swept type and what it gave. */
export interface SweepRow extends LoadResult {
  count: number;
}

/** A whole sweep. */
export interface SweepReport {
  kind: 'sweep';
  type: string;
  plan: LoadPlan;
  rows: SweepRow[];
  verdict: string;
  /** The formation found before, and restored after. */
  restored: Formation;
  /** True when Ctrl-C ended it early. */
  interrupted: boolean;
}

/** A single run. */
export interface SingleReport {
  kind: 'load';
  plan: LoadPlan;
  result: LoadResult;
}

export type LoadReport = SweepReport | SingleReport;

/** H12 (and every H code except H27, the client leaving at the end) in a result. */
export function routerErrors(r: Pick<LoadResult, 'router'>): number {
  return Object.entries(r.router.codes).reduce((n, [code, c]) => (code === 'H27' ? n : n + c), 0);
}

/** CPU of the dynos of one type, summed, in % of one core (null when none is known). */
export function typeCpuPct(r: Pick<LoadResult, 'dynos'>, type: string): number | null {
  const known = r.dynos.filter((d) => d.name.startsWith(`${type}.`) && d.cpuPct !== null);
  return known.length ? known.reduce((n, d) => n + d.cpuPct!, 0) : null;
}
