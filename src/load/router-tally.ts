// What the router saw during one load run, from its heroku[router] lines: requests, status classes,
// every H code with its count, the spread over dynos and exact percentiles of `service`. Pure.
// Status, service and code come from the router's own parser (router-line.ts); the dyno is read the
// same anchored way, from the tail the router always writes after every client-controlled value.
import { parseRouterLine } from '../router/router-line.js';

/** Status classes counted (1xx, a WebSocket upgrade, counts as a request only). */
export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';

/** The router's view of one run. */
export interface RouterTally {
  /** Router lines of this run: one per request the router answered or gave up on. */
  requests: number;
  /** Lines without an H code (`at=info`): requests a dyno answered. */
  answered: number;
  status: Record<StatusClass, number>;
  /** H12 → 3, sorted by code. */
  codes: Record<string, number>;
  /** web.1 → requests the router sent to it (lines naming the dyno), sorted by name. */
  dynos: Record<string, number>;
  /** Nearest-rank percentiles of `service=` in ms; null when no line had one. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  maxMs: number | null;
}

const DYNO_TAIL = / dyno=([\w.-]*) connect=(?:\d+ms)? service=(?:\d+ms)? status=\d{3} bytes=\d* protocol=http$/;

/** The dyno a router line names ('' when none was involved); null for text that is not a router line. */
export function routerLineDyno(text: string): string | null {
  const m = DYNO_TAIL.exec(text);
  return m ? m[1]! : null;
}

/** Nearest-rank percentile of sorted values: the smallest with at least p % at or below it. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const sortedRecord = (m: Map<string, number>): Record<string, number> => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Tally router line texts (other text is skipped). */
export function tallyRouterLines(texts: Iterable<string>): RouterTally {
  const status: Record<StatusClass, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 };
  const codes = new Map<string, number>();
  const dynos = new Map<string, number>();
  const service: number[] = [];
  let requests = 0;
  let answered = 0;
  for (const text of texts) {
    const parsed = parseRouterLine(text);
    if (!parsed) continue;
    requests++;
    const cls = `${Math.floor(parsed.status / 100)}xx`;
    if (cls in status) status[cls as StatusClass]++;
    if (parsed.code) codes.set(parsed.code, (codes.get(parsed.code) ?? 0) + 1);
    else answered++;
    const dyno = routerLineDyno(text);
    if (dyno) dynos.set(dyno, (dynos.get(dyno) ?? 0) + 1);
    if (parsed.serviceMs !== undefined) service.push(parsed.serviceMs);
  }
  service.sort((a, b) => a - b);
  return {
    requests,
    answered,
    status,
    codes: sortedRecord(codes),
    dynos: Object.fromEntries([...dynos].sort(([a], [b]) => byDynoName(a, b))),
    p50: percentile(service, 50),
    p95: percentile(service, 95),
    p99: percentile(service, 99),
    maxMs: service.length ? service[service.length - 1]! : null,
  };
}

/** web.2 before web.10. */
export function byDynoName(a: string, b: string): number {
  const [ta = '', na = '0'] = a.split('.');
  const [tb = '', nb = '0'] = b.split('.');
  return ta < tb ? -1 : ta > tb ? 1 : Number(na) - Number(nb);
}
