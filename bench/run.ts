// `npm run bench`: every performance target of the issues, each against a baseline measured in the same run.
import { benchLogs, reportLogs } from './logs.js';
import { benchBackpressure } from './backpressure.js';
import { benchFormation, reportFormation } from './formation.js';
import { benchRouter, describe as describeRouter, describeRound } from './router.js';
import { benchScale } from './scale.js';
import { benchStartup, describeStartup, STARTUP_TARGETS, describeStartupRound, startupOk } from './startup.js';
import { benchEphemeral } from './ephemeral.js';
import { benchLoad } from './load.js';
import { benchPast100 } from './past-100.js';

const verdict = (ok: boolean): string => (ok ? 'OK' : 'MISSED');

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const want = (name: string): boolean => only.length === 0 || only.includes(name);
  if (want('logs')) {
    const r = reportLogs(await benchLogs());
    console.log(`logs: 4×200,000 lines of 100 B (80 MB), medians of interleaved rounds (target: dyno ≤ 2.5× cat, < concurrently, 0 lost/mangled) — ${verdict(r.ok)}`);
    for (const line of r.lines) console.log(line);
  }
  if (want('backpressure')) {
    const r = await benchBackpressure();
    const ok = r.peakRssMb < 100 && r.answered === r.requests && r.mangled === 0 && r.lines > 0;
    console.log(`backpressure: \`yes\` into a reader SIGSTOPped for ${r.stallS} s — dyno peak RSS ${r.peakRssMb.toFixed(1)} MB (target < 100), router answered ${r.answered}/${r.requests} while stalled, after SIGCONT ${r.lines} lines read, ${r.mangled} mangled — ${verdict(ok)}`);
  }
  if (want('formation')) {
    const r = reportFormation(await benchFormation(100));
    console.log(`${r.lines[0]} — ${verdict(r.ok)}`);
    for (const line of r.lines.slice(1)) console.log(line);
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
  if (want('ephemeral')) {
    const r = await benchEphemeral();
    console.log(`ephemeral: 10 web dynos all up — plain ${r.plainMs.toFixed(0)} ms, --ephemeral (${r.mode}) ${r.ephemeralMs.toFixed(0)} ms, ratio ${r.ratio.toFixed(2)}× (target ≤ 1.2×) — ${verdict(r.ratio <= 1.2)}`);
  }
  if (want('load')) {
    const r = await benchLoad();
    const per = r.rows.map((x) => `web=${x.count} ${Math.round(x.rps)} rps (dyno start ${Math.round(x.managerPct)} %, autocannon ${Math.round(x.generatorPct)} %, dynos ${Math.round(x.dynosPct)} %)`).join(', ');
    const ok = r.managerShare <= 0.35 && r.wallMs - r.phasesMs <= 3000 * r.counts;
    console.log(`load: sweep web=1..3 of /cpu?ms=5 in ${(r.wallMs / 1000).toFixed(1)} s wall for ${(r.phasesMs / 1000).toFixed(0)} s of warm-up + load (overhead ${((r.wallMs - r.phasesMs) / r.counts / 1000).toFixed(2)} s per count, target ≤ 3); CPU in % of one core, ${r.cores} cores: ${per}; dyno start's share of the CPU used ${(100 * r.managerShare).toFixed(0)} % (target ≤ 35 %), autocannon's ${(100 * r.generatorShare).toFixed(0)} %; one stats sample ${r.statsP50Ms.toFixed(1)} ms p50 — ${verdict(ok)}`);
  }
  if (want('past-100')) {
    const r = await benchPast100();
    const ok = r.defaultRefusedStatus === 2 && r.exitStatus === 0 && r.left === 0;
    console.log(`past-100: 300 dynos without --max-dynos refused (exit ${r.defaultRefusedStatus}); with --max-dynos 300 all up in ${r.allUpMs.toFixed(0)} ms, stopped in ${r.stopMs.toFixed(0)} ms (exit ${r.exitStatus}), ${r.left} left — ${verdict(ok)}`);
  }
  if (want('startup')) {
    const r = benchStartup({ onRound: (round) => console.log(describeStartupRound(round)) });
    console.log(`startup: medians of interleaved rounds (targets: check ≤ ${STARTUP_TARGETS.check}×, --version ≤ ${STARTUP_TARGETS.version}× node -e 0 of the same runtime) — ${verdict(startupOk(r))}`);
    for (const line of describeStartup(r)) console.log(line);
  }
}

void main();
