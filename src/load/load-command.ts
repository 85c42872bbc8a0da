// What `dyno load` does once its flags are parsed (loaded on demand: autocannon comes with it): ask
// dyno start for the router and the formation, check the path, warm up, measure or sweep, print the
// report (text, --json or --csv) and hand it to dyno start for the dashboard.
import { randomBytes } from 'node:crypto';
import { resolveAppRoot } from '../app/load-app.js';
import { requestApp } from '../control/client.js';
import { DynoError, ExitRequest } from '../core/errors.js';
import { parseLoadPlan, type LoadFlags } from './load-plan.js';
import type { LoadReport, SweepReport } from './load-report.js';
import { typeCpuPct } from './load-report.js';
import { measureLoad } from './measure-load.js';
import { driveLoad } from './drive-load.js';
import { probePath } from './probe-path.js';
import { formatResult, formatSingle, formatSweep, formatSweepCsv } from './render-load.js';
import { runSweep } from './run-sweep.js';
import { parseSweepSpec } from './sweep-spec.js';
import { formatVerdict } from './verdict.js';

/** The command's flags. */
export interface LoadCommandOptions extends LoadFlags {
  root?: string;
  procfile?: string;
  sweep?: string;
  json?: boolean;
  csv?: boolean;
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
  const quiet = opts.json || opts.csv;
  const say = (text: string): void => void (quiet || process.stdout.write(`${text}\n`));
  const common = {
    root, url: plan.url, connections: plan.connections, durationMs: plan.durationMs, requests: plan.requests, rate: plan.rate,
    method: plan.method, headers, body: opts.body, timeoutMs: stats.router.timeoutMs + 10_000, routerTimeoutMs: stats.router.timeoutMs,
  };
  const interrupt = new AbortController();
  const onSigint = (): void => interrupt.abort();
  process.on('SIGINT', onSigint);
  const id = `dyno-load-${randomBytes(8).toString('hex')}`;
  let report: LoadReport;
  try {
    if (!spec) {
      await probePath({ url: plan.url, method: plan.method, headers: { ...headers, 'x-request-id': `${id}-probe` }, body: opts.body, timeoutMs: common.timeoutMs });
      if (plan.warmupMs > 0) {
        say(`warming up for ${plan.warmupMs / 1000} s`);
        await driveLoad({ ...common, durationMs: plan.warmupMs, requests: undefined, headers: { ...headers, 'x-request-id': `${id}-warm` }, signal: interrupt.signal });
      }
      say('measuring');
      report = { kind: 'load', plan, result: await measureLoad({ ...common, requestId: `${id}-run`, signal: interrupt.signal }) };
    } else {
      const probe = (): Promise<number> => probePath({ url: plan.url, method: plan.method, headers: { ...headers, 'x-request-id': `${id}-probe` }, body: opts.body, timeoutMs: common.timeoutMs });
      if (spec.type !== 'web' || (stats.formation.web ?? 0) > 0) await probe();
      const { rows, restored } = await runSweep({
        ...common, spec, original: stats.formation, warmupMs: plan.warmupMs, requestIdPrefix: id, signal: interrupt.signal,
        onStep: say, onRow: (row) => say(formatResult(row).replace(/^/gm, '  ').trimEnd()),
      });
      const verdictRows = rows.map((r) => ({ count: r.count, rps: r.rps, p99: r.router.p99, h12: r.router.codes.H12 ?? 0, requests: r.router.requests, cpuPct: typeCpuPct(r, spec.type), machinePct: r.machineCpuPct }));
      report = { kind: 'sweep', type: spec.type, plan, rows, verdict: formatVerdict(verdictRows, { type: spec.type, cores: stats.cores }), restored, interrupted: interrupt.signal.aborted } satisfies SweepReport;
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : opts.csv && report.kind === 'sweep' ? formatSweepCsv(report) : report.kind === 'sweep' ? `\n${formatSweep(report)}` : formatSingle(report));
  await requestApp(root, { verb: 'load-report', report: report as unknown as Record<string, unknown> }).catch(() => undefined);
  if (interrupt.signal.aborted) throw new ExitRequest(130);
}
