// `npm run bench`: every performance target of the issues, each against a baseline measured in the same run.
import { benchLogs } from './logs.js';
import { benchFormation } from './formation.js';
import { benchRouter } from './router.js';

const verdict = (ok: boolean): string => (ok ? 'OK' : 'MISSED');

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const want = (name: string): boolean => only.length === 0 || only.includes(name);
  if (want('logs')) {
    const r = await benchLogs();
    const ok = r.ratio <= 4 && r.lost === 0 && r.mangled === 0;
    console.log(`logs: 4×200,000 lines of 100 B — cat ${r.catMs.toFixed(0)} ms, dyno ${r.dynoMs.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)}× (target ≤ 4×), lost ${r.lost}, mangled ${r.mangled} — ${verdict(ok)}`);
  }
  if (want('formation')) {
    const r = await benchFormation(100);
    const ok = r.startMs <= 500 && r.rssMb <= 60 && r.stopMs <= 1000;
    console.log(`formation: 100 dynos — all up in ${r.startMs.toFixed(0)} ms after load (${r.startFromSpawnMs.toFixed(0)} ms from spawn; target ≤ 500), dyno RSS ${r.rssMb.toFixed(1)} MB (target ≤ 60), stop ${r.stopMs.toFixed(0)} ms (target ≤ 1000) — ${verdict(ok)}`);
  }
  if (want('router')) {
    const r = await benchRouter();
    console.log(`router: direct ${Math.round(r.direct.reqPerSec)} req/s, routed ${Math.round(r.router.reqPerSec)} req/s, ratio ${r.ratio.toFixed(3)} (target ≥ 0.18), added p50 ${r.addedP50Ms} ms (target ≤ 3), errors ${r.router.errors + r.router.non2xx} — ${verdict(r.ok)}`);
  }
}

void main();
