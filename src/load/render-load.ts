// Text, chart and CSV of `dyno load` results. Pure: reports in, strings out.
import { formatFormation } from '../app/formation.js';
import type { LoadPlan, LoadResult, SingleReport, SweepReport, SweepRow } from './load-report.js';
import { routerErrors, typeCpuPct } from './load-report.js';
import { formatMs } from './verdict.js';

const ms = (v: number | null): string => (v === null ? '–' : formatMs(v));
const mb = (bytes: number | null): string => (bytes === null ? '–' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);
const pct = (v: number | null): string => (v === null ? '–' : `${Math.round(v)} %`);
const codesText = (codes: Record<string, number>): string => Object.entries(codes).map(([c, n]) => `${c}×${n}`).join(' ') || 'none';

/** `web.1 51 %, web.2 49 %` */
export function formatSpread(dynos: Record<string, number>): string {
  const total = Object.values(dynos).reduce((a, b) => a + b, 0);
  if (!total) return 'no dyno reached';
  return Object.entries(dynos).map(([name, n]) => `${name} ${Math.round((100 * n) / total)} %`).join(', ');
}

/** `10 connections, 10 s after a 2 s warm-up, --rate 200/s` */
export function formatPlan(p: LoadPlan): string {
  const phase = p.requests !== undefined ? `${p.requests} requests` : `${(p.durationMs ?? 0) / 1000} s`;
  const warm = p.warmupMs > 0 ? ` after a ${p.warmupMs / 1000} s warm-up` : '';
  const rate = p.rate !== undefined ? `, at most ${p.rate} requests/s` : '';
  return `${p.method} ${p.url}: ${p.connections} connection${p.connections === 1 ? '' : 's'}, ${phase}${warm}${rate}`;
}

/** The block printed after a single run. */
export function formatResult(r: LoadResult): string {
  const t = r.router;
  const dynos = r.dynos.filter((d) => d.cpuPct !== null || d.peakRssBytes !== null);
  const rows = [
    ['router', `${t.requests} requests in ${(r.elapsedMs / 1000).toFixed(1)} s, ${t.answered} answered by dynos: ${r.rps.toFixed(1)} rps; service p50 ${ms(t.p50)}, p95 ${ms(t.p95)}, p99 ${ms(t.p99)}, max ${ms(t.maxMs)}`],
    ['status', Object.entries(t.status).map(([c, n]) => `${c} ${n}`).join(', ')],
    ['H codes', codesText(t.codes) + (t.codes.H27 ? ' (H27: requests in flight when the run ended)' : '')],
    ['spread', formatSpread(t.dynos)],
    ['dynos', dynos.map((d) => `${d.name} CPU ${pct(d.cpuPct)}, RSS ${mb(d.peakRssBytes)}`).join('; ') || '–'],
    ['client', `${r.client.responses} responses, latency p50 ${ms(r.client.p50)}, p99 ${ms(r.client.p99)}; ${r.client.errors} errors, ${r.client.timeouts} timeouts`],
    ['machine', `${r.cores} cores; CPU in % of one core: dynos ${pct(sumCpu(r))}, dyno start ${pct(r.manager.cpuPct)} (RSS ${mb(r.manager.peakRssBytes)}), load generator ${pct(r.loadGeneratorCpuPct)}; the whole machine ${pct(r.machineCpuPct)} of ${r.cores * 100} %`],
  ];
  return rows.map(([k, v]) => `${k!.padEnd(8)} ${v}\n`).join('');
}

function sumCpu(r: Pick<LoadResult, 'dynos'>): number | null {
  const known = r.dynos.filter((d) => d.cpuPct !== null);
  return known.length ? known.reduce((n, d) => n + d.cpuPct!, 0) : null;
}

/** A single run, as printed. */
export function formatSingle(report: SingleReport): string {
  return `dyno load ${formatPlan(report.plan)}; ${formatFormation(report.result.formation)}\n${formatResult(report.result)}`;
}

// One table row's cells.
function cells(r: SweepRow, type: string): string[] {
  const t = r.router;
  return [
    `${type}=${r.count}`,
    r.rps.toFixed(0),
    ms(t.p50),
    ms(t.p95),
    ms(t.p99),
    String(t.status['2xx']),
    String(t.status['5xx']),
    codesText(Object.fromEntries(Object.entries(t.codes).filter(([c]) => c !== 'H27'))),
    formatSpread(t.dynos).replace(/ %/g, '%'),
    pct(typeCpuPct(r, type)),
    pct(r.manager.cpuPct),
    pct(r.machineCpuPct),
  ];
}

/** The capacity table: one row per count, columns aligned. */
export function formatSweepTable(rows: SweepRow[], type: string): string {
  const head = [type, 'rps', 'p50', 'p95', 'p99', '2xx', '5xx', 'H codes', 'spread', `${type} CPU`, 'dyno CPU', 'machine'];
  const body = rows.map((r) => cells(r, type));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]): string => c.map((v, i) => (i === 0 || i === 7 || i === 8 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(head), ...body.map(line)].join('\n') + '\n';
}

const BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `value / max` in `width` characters, in eighths. */
export function formatBar(value: number, max: number, width: number): string {
  const eighths = max > 0 ? Math.round((8 * width * Math.max(0, value)) / max) : 0;
  return '█'.repeat(Math.floor(eighths / 8)) + BLOCKS[eighths % 8]!;
}

/** The compact chart: throughput per count as bars, p99 and H12 share beside each. */
export function formatSweepChart(rows: SweepRow[], type: string, width = 32): string {
  const max = Math.max(1, ...rows.map((r) => r.rps));
  const label = Math.max(...rows.map((r) => `${type}=${r.count}`.length));
  return rows
    .map((r) => {
      const h = routerErrors(r);
      const bad = h ? `, ${Math.round((100 * h) / Math.max(1, r.router.requests))} % H errors` : '';
      return `${`${type}=${r.count}`.padEnd(label)} ${formatBar(r.rps, max, width).padEnd(width)} ${r.rps.toFixed(0)} rps, p99 ${ms(r.router.p99)}${bad}`;
    })
    .join('\n') + '\n';
}

/** A whole sweep, as printed. */
export function formatSweep(report: SweepReport): string {
  const head = `dyno load --sweep ${report.type}=${report.rows[0]?.count ?? '?'}..${report.rows[report.rows.length - 1]?.count ?? '?'} ${formatPlan(report.plan)}`;
  const note = report.interrupted ? 'interrupted: the counts above were measured\n' : '';
  return `${head}\n\n${formatSweepTable(report.rows, report.type)}\n${formatSweepChart(report.rows, report.type)}\n${note}verdict: ${report.verdict}\nrestored ${formatFormation(report.restored)}\n`;
}

const csvCell = (v: string | number | null): string => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/** One CSV line per count (RFC 4180 quoting). */
export function formatSweepCsv(report: SweepReport): string {
  const head = ['type', 'count', 'rps', 'requests', 'p50_ms', 'p95_ms', 'p99_ms', 'status_2xx', 'status_3xx', 'status_4xx', 'status_5xx', 'h_codes', 'spread', 'type_cpu_pct', 'dyno_start_cpu_pct', 'load_generator_cpu_pct', 'machine_cpu_pct'];
  const lines = report.rows.map((r) => [
    report.type, r.count, Number(r.rps.toFixed(1)), r.router.requests, r.router.p50, r.router.p95, r.router.p99,
    r.router.status['2xx'], r.router.status['3xx'], r.router.status['4xx'], r.router.status['5xx'],
    Object.entries(r.router.codes).map(([c, n]) => `${c}:${n}`).join(' '),
    Object.entries(r.router.dynos).map(([d, n]) => `${d}:${n}`).join(' '),
    round(typeCpuPct(r, report.type)), round(r.manager.cpuPct), round(r.loadGeneratorCpuPct), round(r.machineCpuPct),
  ]);
  return [head, ...lines].map((l) => l.map(csvCell).join(',')).join('\n') + '\n';
}

const round = (v: number | null): number | null => (v === null ? null : Math.round(v));
