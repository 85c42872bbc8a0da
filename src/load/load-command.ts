// What `dyno load` does once its flags are parsed (loaded on demand: autocannon comes with it): ask
// dyno start for the router and the formation, check the path, warm up, measure or sweep, print the
// report (text, --json or --csv) and hand it to dyno start for the dashboard. With --ndjson it prints
// events instead, one JSON object per line (what the dashboard reads when it runs `dyno load`):
//   {"type":"started","kind":"sweep","plan":{…},"formation":{"web":1},"sweep":{"type":"web","counts":[1,2]}}
//   {"type":"step-started","phase":"measuring","count":1,"text":"web=1: measuring"}
//   {"type":"row-measured","row":{…}}      {"type":"reported","report":{…}}
//   {"type":"failed","error":{"code":"USAGE","message":"GET /nosuch answers 404 …","hint":"…"}}
// (a failure is still printed by main.ts on stderr too; the event carries its code for the parent).
import { randomBytes } from 'node:crypto';
import { resolveAppRoot } from '../app/load-app.js';
import { requestApp } from '../control/client.js';
import { DynoError, ExitRequest } from '../core/errors.js';
import { parseLoadPlan, type LoadFlags } from './load-plan.js';
import type { LoadPlan, LoadReport, LoadStep, SingleReport, SweepReport, SweepRow } from './load-report.js';
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
  /** Print progress and the report as events, one JSON object per line. */
  ndjson?: boolean;
  /** The end of stdin stops the run as Ctrl-C does (the dashboard's child: its parent is gone). */
  stopOnStdinEnd?: boolean;
}

/** What both kinds of run need once the flags are read. */
interface RunContext {
  plan: LoadPlan;
  common: Omit<MeasureOptions, 'requestId'>;
  stats: LoadStats;
  /** This run's X-Request-Id prefix. */
  id: string;
  /** Progress: a phase begins, a count was measured. */
  step(step: LoadStep): void;
  row(row: SweepRow): void;
  signal: AbortSignal;
}

/** Run `dyno load`; Ctrl-C stops the run (a sweep restores the formation first) and exits 130. */
export async function runLoadCommand(path: string, opts: LoadCommandOptions): Promise<void> {
  const emit = (event: object): void => void (opts.ndjson && process.stdout.write(`${JSON.stringify(event)}\n`));
  try {
    await loadCommand(path, opts, emit);
  } catch (err) {
    if (err instanceof DynoError) emit({ type: 'failed', error: { code: err.code, message: err.message, hint: err.hint } });
    throw err;
  }
}

async function loadCommand(path: string, opts: LoadCommandOptions, emit: (event: object) => void): Promise<void> {
  if ([opts.json, opts.csv, opts.ndjson].filter(Boolean).length > 1) throw new DynoError('USAGE', '--json, --csv and --ndjson exclude each other');
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
  const onStop = (): void => interrupt.abort();
  process.on('SIGINT', onStop);
  if (opts.stopOnStdinEnd) process.stdin.once('end', onStop).resume();
  const quiet = opts.json || opts.csv || opts.ndjson;
  const say = (text: string): void => void (quiet || process.stdout.write(`${text}\n`));
  const ctx: RunContext = {
    plan, common, stats, id: `dyno-load-${randomBytes(8).toString('hex')}`, signal: interrupt.signal,
    step: (step) => (opts.ndjson ? emit({ type: 'step-started', ...step }) : say(step.text)),
    row: (row) => (opts.ndjson ? emit({ type: 'row-measured', row }) : say(formatResult(row).replace(/^/gm, '  ').trimEnd())),
  };
  let report: LoadReport;
  try {
    const started = { type: 'started', kind: spec ? 'sweep' : 'load', plan, formation: stats.formation, ...(spec ? { sweep: spec } : {}) };
    report = spec ? await sweepOnce(ctx, spec, () => emit(started)) : await loadOnce(ctx, () => emit(started));
  } finally {
    process.off('SIGINT', onStop);
    if (opts.stopOnStdinEnd) process.stdin.off('end', onStop).destroy();
  }
  if (opts.ndjson) emit({ type: 'reported', report });
  else process.stdout.write(formatReport(report, opts));
  await requestApp(root, { verb: 'load-report', report: report as unknown as Record<string, unknown> }).catch(() => undefined);
  if (interrupt.signal.aborted) throw new ExitRequest(130);
}

// One request first: a 404 stops here, before any load.
function probe(ctx: RunContext): Promise<number> {
  const { url, method, headers, body, timeoutMs } = ctx.common;
  return probePath({ url, method, headers: { ...headers, 'x-request-id': `${ctx.id}-probe` }, body, timeoutMs });
}

// A single run: probe, warm up, measure.
async function loadOnce(ctx: RunContext, started: () => void): Promise<SingleReport> {
  await probe(ctx);
  started();
  if (ctx.plan.warmupMs > 0) {
    ctx.step({ phase: 'warming', text: `warming up for ${ctx.plan.warmupMs / 1000} s` });
    await driveLoad({ ...ctx.common, durationMs: ctx.plan.warmupMs, requests: undefined, headers: { ...ctx.common.headers, 'x-request-id': `${ctx.id}-warm` }, signal: ctx.signal });
  }
  ctx.step({ phase: 'measuring', text: 'measuring' });
  return { kind: 'load', plan: ctx.plan, result: await measureLoad({ ...ctx.common, requestId: `${ctx.id}-run`, signal: ctx.signal }) };
}

// A sweep: probe (when something can answer yet), then each count, then the verdict.
async function sweepOnce(ctx: RunContext, spec: SweepSpec, started: () => void): Promise<SweepReport> {
  if (spec.type !== 'web' || (ctx.stats.formation.web ?? 0) > 0) await probe(ctx);
  started();
  const { rows, restored } = await runSweep({
    ...ctx.common, spec, original: ctx.stats.formation, warmupMs: ctx.plan.warmupMs, requestIdPrefix: ctx.id, signal: ctx.signal,
    onStep: ctx.step, onRow: ctx.row,
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
