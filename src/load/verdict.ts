// The verdict line of a sweep, from the numbers alone: where throughput stops growing (and whether the
// dynos were using the machine's cores then), how p99 moves, and where H12s stop. Pure.

/** What the verdict reads of one sweep row. */
export interface VerdictRow {
  count: number;
  /** Requests per second a dyno answered. */
  rps: number;
  p99: number | null;
  /** H12s in the row. */
  h12: number;
  /** Router lines in the row (H12 share = h12 / requests). */
  requests: number;
  /** CPU of the swept type's dynos together, % of one core; null when unknown. */
  cpuPct: number | null;
  /** The whole machine's busy CPU (every process), % of one core; null when unknown. */
  machinePct?: number | null;
}

/** Later counts within this share of the best throughput count as "no longer growing". */
const PLATEAU = 0.9;
/** Dynos using this share of the machine are CPU-bound. */
const BUSY = 0.75;

/** `2.1 s`, `180 ms`. */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}

// "throughput stops growing after web=2 (this machine has 2 cores): the app is CPU-bound here"
function throughput(rows: VerdictRow[], type: string, cores: number): string {
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  const best = Math.max(...rows.map((r) => r.rps));
  if (best === 0) return `no request was answered by a dyno at any count`;
  const knee = rows.findIndex((r, i) => r.rps >= PLATEAU * Math.max(...rows.slice(i).map((x) => x.rps)));
  const k = rows[knee]!;
  if (knee === rows.length - 1) {
    const ratio = first.rps > 0 ? ` (×${(last.rps / first.rps).toFixed(1)})` : '';
    return `throughput grows with every dyno: ${Math.round(first.rps)} rps at ${type}=${first.count} to ${Math.round(last.rps)} at ${type}=${last.count}${ratio}`;
  }
  const head = knee === 0 ? `throughput does not grow past ${type}=${k.count}, ${Math.round(best)} rps at best` : `throughput stops growing after ${type}=${k.count} at ${Math.round(k.rps)} rps`;
  const after = rows.slice(knee + 1).map((r) => r.cpuPct).filter((c): c is number => c !== null);
  const coresText = `this machine has ${cores} core${cores === 1 ? '' : 's'}`;
  if (after.length && Math.max(...after) >= BUSY * cores * 100) return `${head} (${coresText}): the app is CPU-bound here`;
  const machine = rows.slice(knee + 1).map((r) => r.machinePct).filter((c): c is number => c !== null && c !== undefined);
  if (after.length && machine.length && Math.max(...machine) >= BUSY * cores * 100) {
    const busy = Math.round(Math.max(...machine));
    return `${head} (${coresText}, ${busy} % of ${cores * 100} % busy, ${Math.round(busy - Math.max(...after))} % of it outside the dynos): the app is CPU-bound on the share of the cores it gets`;
  }
  if (after.length) {
    const used = Math.round(Math.max(...after));
    return `${head}, with the dynos at ${used} % CPU of ${cores * 100} % (${coresText}): the limit is elsewhere — the load generator's connections, the router, or something the app waits on`;
  }
  return `${head} (${coresText})`;
}

// "p99 falls from 2.1 s to 180 ms at web=3"
function latency(rows: VerdictRow[], type: string, cores: number): string | null {
  const timed = rows.filter((r): r is VerdictRow & { p99: number } => r.p99 !== null);
  if (timed.length < 2) return null;
  const first = timed[0]!;
  const low = Math.min(...timed.map((r) => r.p99));
  if (first.p99 >= 2 * low && first.p99 - low >= 5) {
    const at = timed.find((r) => r.p99 <= 1.25 * low)!;
    return `p99 falls from ${formatMs(first.p99)} to ${formatMs(at.p99)} at ${type}=${at.count}`;
  }
  const last = timed[timed.length - 1]!;
  if (last.p99 >= 2 * first.p99 && last.p99 - first.p99 >= 5) {
    const why = last.count > cores ? ` (${last.count} dynos share ${cores} cores)` : '';
    return `p99 rises from ${formatMs(first.p99)} to ${formatMs(last.p99)} at ${type}=${last.count}${why}`;
  }
  return null;
}

// "H12s stop at web=2" / "H12s at every count (31 % of requests at web=4)"
function timeouts(rows: VerdictRow[], type: string): string | null {
  if (!rows.some((r) => r.h12 > 0)) return null;
  const lastBad = rows.map((r) => r.h12 > 0).lastIndexOf(true);
  const last = rows[rows.length - 1]!;
  if (lastBad === rows.length - 1) {
    const share = last.requests ? Math.round((100 * last.h12) / last.requests) : 0;
    return `H12s at every count up to ${type}=${last.count} (${share} % of requests there): the offered load outruns the router's timeout even then`;
  }
  return `H12s stop at ${type}=${rows[lastBad + 1]!.count}`;
}

/** One line saying what a sweep of `type` shows. */
export function formatVerdict(rows: readonly VerdictRow[], o: { type: string; cores: number }): string {
  if (rows.length === 0) return 'no counts were measured';
  if (rows.length === 1) return `one count only: ${Math.round(rows[0]!.rps)} rps at ${o.type}=${rows[0]!.count}`;
  const list = [...rows];
  return [throughput(list, o.type, o.cores), latency(list, o.type, o.cores), timeouts(list, o.type)].filter(Boolean).join('; ');
}
