// Stopping `dyno start` every way a user can: nothing escapes (setsid, double-fork daemons, crash loops),
// Heroku's statuses and R12 lines, the supervised watchdog; once with /proc and once with the ps fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { tempApp } from '../helpers/temp-app.js';
import { runDyno } from '../helpers/run-dyno.js';
import { assertNoSurvivors, survivors, uniqueMarker } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';
import { basePortFor, fixture } from '../helpers/fixture.js';

type Way = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'Ctrl-C to the group' | 'SIGKILL of dyno';
const ways: Way[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'Ctrl-C to the group', 'SIGKILL of dyno'];
const sources = [{ name: 'proc', env: {} }, { name: 'ps', env: { DYNO_PROC_FALLBACK: 'ps' } }];

let seed = 40;
for (const source of sources) {
  for (const way of ways) {
    test(`[${source.name}] ${way}: a setsid double-fork daemon and a crash-looping (setsid cmd &); exit 1 leave 0 survivors within grace + 1 s`, async () => {
      const marker = uniqueMarker();
      const looper = uniqueMarker('dynoloop');
      const app = tempApp({
        Procfile: [
          `daemon: ${fixture('daemon', marker)}; exec ${fixture('forever', marker)}`,
          `crashloop: (setsid ${fixture('forever', looper)} &); sleep 0.1; exit 1`,
          '',
        ].join('\n'),
      });
      try {
        const run = runDyno(['start', '--no-router', '-t', '1', '--backoff', '200ms,400ms', '-p', String(basePortFor(seed++))], { cwd: app.dir, env: source.env, detached: true });
        await run.waitForLine(/daemon\.1 +\| READY/, 15_000);
        await waitFor(() => run.lines.filter((l) => /crashloop\.1 +\* Process exited with status 1/.test(l)).length >= 3, { timeoutMs: 15_000, what: () => `three crashes; got:\n${run.stdout()}` });
        assert.ok(survivors(looper).length <= 1, `a crash loop leaks nothing: ${survivors(looper).length} alive`);
        assert.ok(survivors(marker).length >= 2, 'the daemon and the app run');
        if (way === 'Ctrl-C to the group') process.kill(-run.pid, 'SIGINT');
        else if (way === 'SIGKILL of dyno') run.signal('SIGKILL');
        else run.signal(way);
        const code = await run.exit;
        if (way !== 'SIGKILL of dyno') assert.equal(code, 0, run.stdout());
      } finally {
        await Promise.all([assertNoSurvivors(marker, 2000), assertNoSurvivors(looper, 2000)]);
        app.cleanup();
      }
    });
  }

  for (const timeout of ['1', undefined]) {
    test(`[${source.name}] at ${timeout ? `-t ${timeout}` : 'the default -t'}: status 0 for an app that exits 0 on SIGTERM; R12, SIGKILL and 137 for one that ignores it`, async () => {
      const marker = uniqueMarker();
      const app = tempApp({ Procfile: `polite: ${fixture('count-term', marker)}\nstubborn: ${fixture('ignore-term', marker)}\n` });
      try {
        const run = runDyno(['start', '--no-router', ...(timeout ? ['-t', timeout] : []), '-p', String(basePortFor(seed++))], { cwd: app.dir, env: { ...source.env, TERM_EXIT_MS: '100' } });
        await waitFor(() => run.lines.filter((l) => /\| READY/.test(l)).length >= 2, { what: () => run.stdout() });
        const started = Date.now();
        run.signal('SIGTERM');
        assert.equal(await run.exit, 143, run.stdout());
        const took = Date.now() - started;
        const grace = Number(timeout ?? 5) * 1000;
        assert.ok(took >= grace && took < grace + 1000, `stopped after ${took} ms`);
        const lines = (dyno: string): string[] => run.lines.filter((l) => l.includes(` ${dyno} `) || l.includes(`${dyno} `)).map((l) => l.replace(/^.*? [*|] /, ''));
        assert.ok(lines('polite.1').includes('Process exited with status 0'), run.stdout());
        const stubborn = lines('stubborn.1');
        assert.deepEqual(stubborn.slice(-3), [`Error R12 (Exit timeout) -> At least one process failed to exit within ${timeout ?? 5} seconds of SIGTERM`, 'Stopping remaining processes with SIGKILL', 'Process exited with status 137']);
        assert.equal(run.lines.filter((l) => /IGNORED SIGTERM/.test(l)).length, 1, 'one SIGTERM');
      } finally {
        await assertNoSurvivors(marker);
        app.cleanup();
      }
    });
  }
}

// The watchdog process of a dyno start: a child of it whose command line says __watchdog.
function watchdogOf(pid: number): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('__watchdog')) return Number(entry);
    } catch {
      // gone
    }
  }
  return undefined;
}

test('a killed watchdog is replaced and handed every run: kill -9 the watchdog, then kill -9 dyno → 0 survivors', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `daemon: ${fixture('daemon', marker)}; exec ${fixture('forever', marker)}\ntree: ${fixture('grandchild', marker)}\n` });
  try {
    const run = runDyno(['start', '--no-router', '-t', '1', '-p', String(basePortFor(seed++))], { cwd: app.dir });
    await waitFor(() => run.lines.filter((l) => /\| READY/.test(l)).length >= 2, { what: () => run.stdout(), timeoutMs: 15_000 });
    const first = watchdogOf(run.pid);
    assert.ok(first, 'dyno has a watchdog');
    process.kill(first, 'SIGKILL');
    await run.waitForLine(new RegExp(`watchdog \\(pid ${first}\\) died \\(SIGKILL\\); started another \\(pid \\d+\\) for 2 run\\(s\\)`), 15_000);
    assert.equal(run.lines.filter((l) => /watchdog/.test(l)).length, 1, 'one line');
    run.signal('SIGKILL');
    await run.exit;
  } finally {
    await assertNoSurvivors(marker, 3000);
    app.cleanup();
  }
});
