// `dyno ps`, `dyno restart` (rolling) and `dyno stop` (stopped, then started again) against a real dyno start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { tempApp } from '../helpers/temp-app.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';
import type { DynoRow } from '../../src/control/protocol.js';

interface Ps {
  dynos: DynoRow[];
  formation: Record<string, number>;
}

// Index of the first line matching `re` (-1 when none).
const indexOf = (lines: string[], re: RegExp): number => lines.findIndex((l) => re.test(l));

test('ps lists every dyno with state, pid, port, uptime, restarts, RSS and command, then the formation; --json has the same', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(53);
  const app = tempApp({ Procfile: `web: ${fixture('web', marker)}\nworker: ${fixture('forever', marker)}\nclock: ${fixture('forever', marker)}\n` });
  const run = runDyno(['start', 'web=2', 'worker=1', '-p', String(port), '--timeout', '1'], { cwd: app.dir });
  const ctl = (...args: string[]) => runDynoToEnd(args, { cwd: app.dir });
  try {
    await run.waitForLine(/web\.2 +\* State changed from starting to up/);
    await run.waitForLine(/web\.1 +\* State changed from starting to up/);
    const text = await ctl('ps');
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.split('\n');
    assert.match(lines[0]!, /^NAME +STATE +PID +PORT +UPTIME +RESTARTS +RSS +COMMAND$/);
    assert.match(lines[1]!, new RegExp(`^web\\.1 +up +\\d+ +${port + 1} +\\d+s +0 +\\d+\\.\\d MB +node .*web\\.js ${marker}$`));
    assert.match(lines[2]!, new RegExp(`^web\\.2 +up +\\d+ +${port + 2} `));
    assert.match(lines[3]!, new RegExp(`^worker\\.1 +up +\\d+ +${port + 101} .*forever\\.js ${marker}$`));
    assert.deepEqual(lines.slice(4), ['', 'web=2 worker=1', '']);

    const json = JSON.parse((await ctl('ps', '--json')).stdout) as Ps;
    assert.deepEqual(json.formation, { web: 2, worker: 1, clock: 0 });
    for (const d of json.dynos) {
      assert.ok(d.pid && d.pid > 1, `${d.name} has a pid`);
      assert.ok(d.rssBytes !== null && d.rssBytes > 1_000_000, `${d.name}: RSS of sh + node is over 1 MB: ${d.rssBytes}`);
      assert.ok(d.uptimeMs !== null && d.uptimeMs >= 0 && d.uptimeMs < 60_000);
    }
    assert.deepEqual(json.dynos.map((d) => [d.name, d.type, d.state, d.port, d.restarts]), [
      ['web.1', 'web', 'up', port + 1, 0],
      ['web.2', 'web', 'up', port + 2, 0],
      ['worker.1', 'worker', 'up', port + 101, 0],
    ]);
  } finally {
    run.signal('SIGINT');
    assert.equal(await run.exit, 0, `${run.stdout()}${run.stderr()}`);
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('restart web is rolling (web.2 restarts only once web.1 is up again); stop worker.1 stops it and the manager starts it again', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(54);
  const app = tempApp({ Procfile: `web: ${fixture('web', marker)}\nworker: ${fixture('forever', marker)}\n` });
  const run = runDyno(['start', 'web=2', 'worker=1', '-p', String(port), '--timeout', '1'], { cwd: app.dir });
  const ctl = (...args: string[]) => runDynoToEnd(args, { cwd: app.dir });
  const ps = async (): Promise<Map<string, DynoRow>> => new Map((JSON.parse((await ctl('ps', '--json')).stdout) as Ps).dynos.map((d) => [d.name, d]));
  try {
    await run.waitForLine(/web\.2 +\* State changed from starting to up/);
    await run.waitForLine(/web\.1 +\* State changed from starting to up/);
    const before = await ps();
    const restarted = await ctl('restart', 'web');
    assert.equal(restarted.code, 0, restarted.stderr);
    assert.equal(restarted.stdout, 'Restarted web.1, web.2\n');
    const after = await ps();
    for (const name of ['web.1', 'web.2']) {
      assert.notEqual(after.get(name)!.pid, before.get(name)!.pid, `${name} runs a new process`);
      assert.equal(after.get(name)!.restarts, 1);
      assert.equal(after.get(name)!.state, 'up');
    }
    assert.equal(after.get('worker.1')!.pid, before.get('worker.1')!.pid, 'restart web leaves the worker alone');
    const web1Restart = indexOf(run.lines, /web\.1 +\* Restarting/);
    const web1Up = run.lines.findIndex((l, i) => i > web1Restart && /web\.1 +\* State changed from starting to up/.test(l));
    const web2Restart = indexOf(run.lines, /web\.2 +\* Restarting/);
    assert.ok(web1Restart >= 0 && web1Up > web1Restart && web2Restart > web1Up, `rolling order:\n${run.stdout()}`);

    const stopped = await ctl('stop', 'worker.1');
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, /^Stopped worker\.1; the dyno manager starts them again\n$/);
    const worker = await waitFor(async () => {
      const w = (await ps()).get('worker.1');
      return w?.state === 'up' && w.pid !== before.get('worker.1')!.pid ? w : undefined;
    }, { what: 'worker.1 up again with a new pid' });
    assert.ok(worker.pid);
    const stopAt = indexOf(run.lines, /worker\.1 +\* State changed from up to down/);
    assert.ok(stopAt > 0 && indexOf(run.lines.slice(stopAt), /worker\.1 +\* Starting process with command/) > 0, run.stdout());

    const usage = await ctl('stop');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^dyno: Please specify a process type or dyno name to stop\./);
    for (const verb of ['stop', 'restart']) {
      const unknown = await ctl(verb, 'nosuch');
      assert.equal(unknown.code, 2, unknown.stderr);
      assert.match(unknown.stderr, /^dyno: no dyno matches "nosuch"/);
    }
  } finally {
    run.signal('SIGINT');
    assert.equal(await run.exit, 0, `${run.stdout()}${run.stderr()}`);
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});
