// What `dyno load` does once its flags are parsed (loaded on demand: autocannon comes with it): ask
// dyno start for the router and the formation, check the path, warm up, measure or sweep, print the
// report (text, --json or --csv) and hand it to dyno start for the dashboard.
import { randomBytes } from 'node:crypto';
import { resolveAppRoot } from '../app/load-app.js';
import { requestApp } from '../control/client.js';
import { DynoError, ExitRequest } from '../core/errors.js';
import { parseLoadPlan, type LoadFlags } from './load-plan.js';
import type { LoadPlan, LoadReport, SingleReport, SweepReport } from './load-report.js';
import type { LoadStats } from './load-stats.js';
import { typeCpuPct } from './load-report.js';
import { measureLoad, type MeasureOptions } from './measure-load.js';
import { driveLoad } from './drive-load.js';
import { probePath } from './probe-path.js';
import { formatResult, formatSingle, formatSweep, formatSweepCsv } from './render-load.js';
import { runSweep } from './run-sweep.js';
import { parseSweepSpec, type SweepSpec } from './sweep-spec.js';
import { formatVerdict } from './verdict.js';

/** The command's flags. */
export interface LoadCommandOptions extends LoadFlags {
  root?: string;
  procfile?: string;
  sweep?: string;
  json?: boolean;
  csv?: boolean;
}

/** What both kinds of run need once the flags are read. */
interface RunContext {
  plan: LoadPlan;
  common: Omit<MeasureOptions, 'requestId'>;
  stats: LoadStats;
  /** This run's X-Request-Id prefix. */
  id: string;
  say(text: string): void;
  signal: AbortSignal;
}

/** Run `dyno load`; Ctrl-C stops the run (a sweep restores the formation first) and exits 130. */
export async function runLoadCommand(path: string, opts: LoadCommandOptions): Promise<void> {
  if (opts.json && opts.csv) throw new DynoError('USAGE', '--json and --csv exclude each other');
  if (opts.csv && !opts.sweep) throw new DynoError('USAGE', '--csv prints a sweep; add --sweep TYPE=FROM..TO');
  const root = resolveAppRoot({ cwd: process.cwd(), root: opts.root, procfile: opts.procfile });
  const stats = await requestApp(root, { verb: 'stats' });
  if (!stats.router) throw new DynoError('USAGE', 'this dyno start runs without a router (--no-router): there is nothing to load', { hint: 'start it again without --no-router' });
  const { plan, headers } = parseLoadPlan(path, opts, stats.router.url);
  const spec = opts.sweep === undefined ? undefined : parseSweepSpec(opts.sweep, stats.formation);
  const common = {
    root, url: plan.url, connections: plan.connections, durationMs: plan.durationMs, requests: plan.requests, rate: plan.rate,
    method: plan.method, headers, body: opts.body, timeoutMs: stats.router.timeoutMs + 10_000, routerTimeoutMs: stats.router.timeoutMs,
  };
  const interrupt = new AbortController();
  const onSigint = (): void => interrupt.abort();
  process.on('SIGINT', onSigint);
  const say = (text: string): void => void (opts.json || opts.csv || process.stdout.write(`${text}\n`));
  const ctx: RunContext = { plan, common, stats, id: `dyno-load-${randomBytes(8).toString('hex')}`, say, signal: interrupt.signal };
  let report: LoadReport;
  try {
    report = spec ? await sweepOnce(ctx, spec) : await loadOnce(ctx);
  } finally {
    process.off('SIGINT', onSigint);
  }
  process.stdout.write(formatReport(report, opts));
  await requestApp(root, { verb: 'load-report', report: report as unknown as Record<string, unknown> }).catch(() => undefined);
  if (interrupt.signal.aborted) throw new ExitRequest(130);
}

// One request first: a 404 stops here, before any load.
function probe(ctx: RunContext): Promise<number> {
  const { url, method, headers, body, timeoutMs } = ctx.common;
  return probePath({ url, method, headers: { ...headers, 'x-request-id': `${ctx.id}-probe` }, body, timeoutMs });
}

// A single run: probe, warm up, measure.
async function loadOnce(ctx: RunContext): Promise<SingleReport> {
  await probe(ctx);
  if (ctx.plan.warmupMs > 0) {
    ctx.say(`warming up for ${ctx.plan.warmupMs / 1000} s`);
    await driveLoad({ ...ctx.common, durationMs: ctx.plan.warmupMs, requests: undefined, headers: { ...ctx.common.headers, 'x-request-id': `${ctx.id}-warm` }, signal: ctx.signal });
  }
  ctx.say('measuring');
  return { kind: 'load', plan: ctx.plan, result: await measureLoad({ ...ctx.common, requestId: `${ctx.id}-run`, signal: ctx.signal }) };
}

// A sweep: probe (when something can answer yet), then each count, then the verdict.
async function sweepOnce(ctx: RunContext, spec: SweepSpec): Promise<SweepReport> {
  if (spec.type !== 'web' || (ctx.stats.formation.web ?? 0) > 0) await probe(ctx);
  const { rows, restored } = await runSweep({
    ...ctx.common, spec, original: ctx.stats.formation, warmupMs: ctx.plan.warmupMs, requestIdPrefix: ctx.id, signal: ctx.signal,
    onStep: ctx.say, onRow: (row) => ctx.say(formatResult(row).replace(/^/gm, '  ').trimEnd()),
  });
  const verdictRows = rows.map((r) => ({ count: r.count, rps: r.rps, p99: r.router.p99, h12: r.router.codes.H12 ?? 0, requests: r.router.requests, cpuPct: typeCpuPct(r, spec.type), machinePct: r.machineCpuPct }));
  const verdict = formatVerdict(verdictRows, { type: spec.type, cores: ctx.stats.cores });
  return { kind: 'sweep', type: spec.type, plan: ctx.plan, rows, verdict, restored, interrupted: ctx.signal.aborted };
}

// The report as --json, --csv or text.
function formatReport(report: LoadReport, opts: LoadCommandOptions): string {
  if (opts.json) return `${JSON.stringify(report, null, 2)}\n`;
  if (report.kind === 'load') return formatSingle(report);
  return opts.csv ? formatSweepCsv(report) : `\n${formatSweep(report)}`;
}
