// `npm run bench`: every performance target of the issues, each against a baseline measured in the same run.
import { benchLogs } from './logs.js';
import { benchFormation } from './formation.js';
import { benchRouter, describe as describeRouter, describeRound } from './router.js';
import { benchScale } from './scale.js';
import { benchStartup } from './startup.js';

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
    const r = await benchRouter({ onRound: (c, i, round) => console.log(describeRound(c, i, round)) });
    console.log(describeRouter(r));
  }
  if (want('scale')) {
    const r = await benchScale();
    const ok = r.ps100.maxMs <= 50 && r.scale100Ms <= 50;
    console.log(`scale: web=1 → 20 all up in ${r.allUpMs.toFixed(0)} ms, routed to all 20 in ${r.allRoutedMs.toFixed(0)} ms, back to 1 in ${r.downMs.toFixed(0)} ms; at 100 dynos ps p50 ${r.ps100.p50Ms.toFixed(1)} / p95 ${r.ps100.p95Ms.toFixed(1)} / max ${r.ps100.maxMs.toFixed(1)} ms, scale ${r.scale100Ms.toFixed(1)} ms (target ≤ 50), \`dyno ps\` command ${r.psCommandMs.toFixed(0)} ms — ${verdict(ok)}`);
  }
  if (want('startup')) {
    const r = benchStartup();
    console.log(`startup: node -e 0 ${r.nodeMs.toFixed(0)} ms, dist/dyno --version ${r.binaryMs.toFixed(0)} ms (ratio ${r.ratio.toFixed(2)}×, target ≤ 1.3×), node dist/dyno.cjs --version ${r.bundleMs.toFixed(0)} ms, binary ${(r.binaryBytes / 1e6).toFixed(1)} MB — ${verdict(r.ratio <= 1.3)}`);
  }
}

void main();
