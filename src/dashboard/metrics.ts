// Router metrics for the dashboard: parse the heroku[router] lines of the LogBus into per-second
// buckets (requests, status classes, H codes, a log-scale histogram of service time) and summarise a
// sliding window of them. Pure apart from the injected clock; memory is bounded by the window.
import { systemClock, type Clock } from '../core/clock.js';
import type { LogLine } from '../core/types.js';
import { parseRouterLine as parseRouterText } from '../router/router-line.js';

/** What one router line says about one request. */
export interface RouterSample {
  ts: number;
  status: number;
  /** `service=…ms`; absent when the router never reached a dyno (H10, H20…). */
  serviceMs?: number;
  /** `code=H12`; absent for `at=info`. */
  code?: string;
}

/** Status classes counted (1xx, e.g. a WebSocket upgrade, counts as a request only). */
export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';
const CLASSES: readonly StatusClass[] = ['2xx', '3xx', '4xx', '5xx'];

/** The window as the page draws it: one column entry per second, oldest first. */
export interface MetricsSeries {
  /** Start of the first second (ms since the epoch). */
  startMs: number;
  requests: number[];
  /** Percentiles of service time in ms per second; null for a second without timed requests. */
  p50: Array<number | null>;
  p95: Array<number | null>;
  p99: Array<number | null>;
}

/** Totals over the whole window. */
export interface MetricsTotals {
  requests: number;
  /** Mean requests per second over the last 10 seconds (the current one included). */
  recentRps: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  status: Record<StatusClass, number>;
  /** H12 → 3, sorted by code. */
  codes: Record<string, number>;
}

export interface MetricsSnapshot {
  windowSec: number;
  series: MetricsSeries;
  totals: MetricsTotals;
}

export interface MetricsOptions {
  /** Seconds kept (default 300: the last five minutes). */
  windowSec?: number;
  clock?: Clock;
}

interface Bucket {
  requests: number;
  status: Record<StatusClass, number>;
  codes: Map<string, number>;
  /** Histogram bin → count. */
  hist: Map<number, number>;
}

/** Parse a heroku[router] line (anchored on the router's own fields, see router-line.ts); null for any other line. */
export function parseRouterLine(line: LogLine): RouterSample | null {
  if (line.source !== 'heroku' || line.dyno !== 'router') return null;
  const parsed = parseRouterText(line.text);
  return parsed ? { ts: line.ts, ...parsed } : null;
}

// Exact bins below 64 ms, then 16 bins per doubling (each within 4.4 % of its values).
const EXACT_BELOW_MS = 64;
const BINS_PER_DOUBLING = 16;

/** The histogram bin of a service time. */
export function binOf(ms: number): number {
  if (ms < EXACT_BELOW_MS) return Math.max(0, Math.floor(ms));
  return EXACT_BELOW_MS + Math.floor(BINS_PER_DOUBLING * Math.log2(ms / EXACT_BELOW_MS) + 1e-9);
}

/** The smallest service time that falls in `bin` (what a percentile reports). */
export function binValue(bin: number): number {
  if (bin < EXACT_BELOW_MS) return bin;
  return Math.ceil(EXACT_BELOW_MS * 2 ** ((bin - EXACT_BELOW_MS) / BINS_PER_DOUBLING) - 1e-9);
}

/** Nearest-rank percentile of a histogram: the smallest value with at least p % of samples at or below it. */
export function percentileOf(hist: ReadonlyMap<number, number>, p: number): number | null {
  let total = 0;
  for (const n of hist.values()) total += n;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const bin of [...hist.keys()].sort((a, b) => a - b)) {
    seen += hist.get(bin)!;
    if (seen >= rank) return binValue(bin);
  }
  return null;
}

const emptyStatus = (): Record<StatusClass, number> => ({ '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 });

export class Metrics {
  readonly windowSec: number;
  private readonly clock: Clock;
  /** Second (epoch s) → bucket, only seconds inside the window. */
  private readonly buckets = new Map<number, Bucket>();

  constructor(o: MetricsOptions = {}) {
    this.windowSec = o.windowSec ?? 300;
    this.clock = o.clock ?? systemClock;
  }

  /** Count a log line if it is a router line inside the window (a LogBus subscriber). */
  record(line: LogLine): void {
    const sample = parseRouterLine(line);
    if (!sample) return;
    const second = Math.floor(sample.ts / 1000);
    if (second <= this.nowSecond() - this.windowSec) return;
    let bucket = this.buckets.get(second);
    if (!bucket) {
      this.prune();
      bucket = { requests: 0, status: emptyStatus(), codes: new Map(), hist: new Map() };
      this.buckets.set(second, bucket);
    }
    bucket.requests++;
    const cls = CLASSES[Math.floor(sample.status / 100) - 2];
    if (cls) bucket.status[cls]++;
    if (sample.code) bucket.codes.set(sample.code, (bucket.codes.get(sample.code) ?? 0) + 1);
    if (sample.serviceMs !== undefined) {
      const bin = binOf(sample.serviceMs);
      bucket.hist.set(bin, (bucket.hist.get(bin) ?? 0) + 1);
    }
  }

  /** The window ending with the current second. */
  snapshot(): MetricsSnapshot {
    this.prune();
    const last = this.nowSecond();
    const first = last - this.windowSec + 1;
    const series: MetricsSeries = { startMs: first * 1000, requests: [], p50: [], p95: [], p99: [] };
    const totals: MetricsTotals = { requests: 0, recentRps: 0, p50: null, p95: null, p99: null, status: emptyStatus(), codes: {} };
    const hist = new Map<number, number>();
    const codes = new Map<string, number>();
    let recent = 0;
    for (let second = first; second <= last; second++) {
      const b = this.buckets.get(second);
      series.requests.push(b?.requests ?? 0);
      series.p50.push(b ? percentileOf(b.hist, 50) : null);
      series.p95.push(b ? percentileOf(b.hist, 95) : null);
      series.p99.push(b ? percentileOf(b.hist, 99) : null);
      if (!b) continue;
      totals.requests += b.requests;
      if (second > last - 10) recent += b.requests;
      for (const cls of CLASSES) totals.status[cls] += b.status[cls];
      for (const [code, n] of b.codes) codes.set(code, (codes.get(code) ?? 0) + n);
      for (const [bin, n] of b.hist) hist.set(bin, (hist.get(bin) ?? 0) + n);
    }
    totals.recentRps = recent / Math.min(10, this.windowSec);
    totals.p50 = percentileOf(hist, 50);
    totals.p95 = percentileOf(hist, 95);
    totals.p99 = percentileOf(hist, 99);
    for (const code of [...codes.keys()].sort()) totals.codes[code] = codes.get(code)!;
    return { windowSec: this.windowSec, series, totals };
  }

  private nowSecond(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  // Forget the seconds that left the window.
  private prune(): void {
    const oldest = this.nowSecond() - this.windowSec + 1;
    for (const second of this.buckets.keys()) if (second < oldest) this.buckets.delete(second);
  }
}
