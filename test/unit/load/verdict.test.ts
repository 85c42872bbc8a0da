// The sweep verdict from fixed tables: one row per rule, named after what the table shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMs, formatVerdict, type VerdictRow } from '../../../src/load/verdict.js';

// count, rps, p99 ms, H12s, requests, CPU % of the type's dynos
const row = (count: number, rps: number, p99: number | null, h12 = 0, requests = 1000, cpuPct: number | null = null): VerdictRow => ({ count, rps, p99, h12, requests, cpuPct });

const rows: Array<{ name: string; table: VerdictRow[]; cores: number; expected: string }> = [
  {
    name: 'CPU-bound at the machine’s cores: throughput stops growing after web=2 and the dynos fill both cores',
    table: [row(1, 100, 40, 0, 1000, 99), row(2, 195, 22, 0, 1950, 196), row(3, 200, 30, 0, 2000, 198), row(4, 198, 45, 0, 1980, 199)],
    cores: 2,
    expected: 'throughput stops growing after web=2 at 195 rps (this machine has 2 cores): the app is CPU-bound here',
  },
  {
    name: 'linear growth: throughput grows with every dyno, with the ratio',
    table: [row(1, 50, 200), row(2, 100, 190), row(3, 150, 185)],
    cores: 4,
    expected: 'throughput grows with every dyno: 50 rps at web=1 to 150 at web=3 (×3.0)',
  },
  {
    name: 'queueing relieved: p99 falls from 2.1 s to 180 ms at web=3 and the H12s stop at web=2',
    table: [row(1, 20, 2100, 40, 200), row(2, 40, 900, 0), row(3, 60, 180), row(4, 80, 170)],
    cores: 8,
    expected: 'throughput grows with every dyno: 20 rps at web=1 to 80 at web=4 (×4.0); p99 falls from 2.1 s to 180 ms at web=3; H12s stop at web=2',
  },
  {
    name: 'H12s at every count: the offered load outruns the router even at the largest count',
    table: [row(1, 30, 1000, 300, 600), row(2, 31, 1000, 280, 620), row(3, 30, 1000, 310, 620)],
    cores: 2,
    expected: 'throughput does not grow past web=1, 31 rps at best (this machine has 2 cores); H12s at every count up to web=3 (50 % of requests there): the offered load outruns the router\'s timeout even then',
  },
  {
    name: 'a plateau with idle dynos blames something other than CPU',
    table: [row(1, 500, 10, 0, 1000, 40), row(2, 510, 10, 0, 1000, 42), row(3, 505, 10, 0, 1000, 41)],
    cores: 2,
    expected: 'throughput does not grow past web=1, 510 rps at best, with the dynos at 42 % CPU of 200 % (this machine has 2 cores): the limit is elsewhere — the load generator\'s connections, the router, or something the app waits on',
  },
  {
    name: 'a plateau on a machine busy with other work: CPU-bound on the share of the cores the dynos get',
    table: [{ ...row(1, 100, 80, 0, 1000, 45), machinePct: 190 }, { ...row(2, 140, 80, 0, 1000, 55), machinePct: 195 }, { ...row(3, 142, 80, 0, 1000, 60), machinePct: 196 }],
    cores: 2,
    expected: 'throughput stops growing after web=2 at 140 rps (this machine has 2 cores, 196 % of 200 % busy, 136 % of it outside the dynos): the app is CPU-bound on the share of the cores it gets',
  },
  {
    name: 'more dynos than cores: p99 rises as they compete for CPU',
    table: [row(1, 100, 20, 0, 1000, 100), row(2, 180, 25, 0, 1000, 190), row(3, 185, 40, 0, 1000, 195), row(4, 186, 60, 0, 1000, 197)],
    cores: 2,
    expected: 'throughput stops growing after web=2 at 180 rps (this machine has 2 cores): the app is CPU-bound here; p99 rises from 20 ms to 60 ms at web=4 (4 dynos share 2 cores)',
  },
  {
    name: 'a single count says only its throughput',
    table: [row(3, 120.4, 30)],
    cores: 2,
    expected: 'one count only: 120 rps at web=3',
  },
  {
    name: 'nothing answered at any count (every request an H12)',
    table: [row(1, 0, 1000, 4, 4), row(2, 0, 1000, 4, 4)],
    cores: 2,
    expected: 'no request was answered by a dyno at any count; H12s at every count up to web=2 (100 % of requests there): the offered load outruns the router\'s timeout even then',
  },
  { name: 'no rows (interrupted before the first count)', table: [], cores: 2, expected: 'no counts were measured' },
  {
    name: 'a sweep of another type names that type',
    table: [row(1, 10, 50), row(2, 20, 50)],
    cores: 2,
    expected: 'throughput grows with every dyno: 10 rps at worker=1 to 20 at worker=2 (×2.0)',
  },
];

for (const r of rows) {
  test(`verdict: ${r.name}`, () => {
    const type = r.name.includes('another type') ? 'worker' : 'web';
    assert.equal(formatVerdict(r.table, { type, cores: r.cores }), r.expected);
  });
}

test('formatMs prints milliseconds below a second, tenths of seconds up to 10 s, whole seconds beyond', () => {
  assert.deepEqual([formatMs(180.4), formatMs(2100), formatMs(30_000)], ['180 ms', '2.1 s', '30 s']);
});
