// `dyno logs`: recent lines from the ring buffer of a real dyno start (-n, filters), and -t following live.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { tempApp } from '../helpers/temp-app.js';
import { basePortFor, fixture } from '../helpers/fixture.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { httpGet } from '../helpers/http-get.js';

const STAMP = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00';

test('logs -n N prints the last N lines in Logplex format; --dyno, -p and -s filter; -t follows until dyno start ends', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(55);
  const app = tempApp({ Procfile: `web: ${fixture('web', marker)}\nworker: ${fixture('forever', marker)}\n` });
  const run = runDyno(['start', '-p', String(port), '--timeout', '1'], { cwd: app.dir });
  const ctl = (...args: string[]) => runDynoToEnd(args, { cwd: app.dir });
  let follower: ReturnType<typeof runDyno> | undefined;
  try {
    await run.waitForLine(/web\.1 +\* State changed from starting to up/);
    await run.waitForLine(/worker\.1 +\| READY/);
    const two = await ctl('logs', '-n', '2');
    assert.equal(two.code, 0, two.stderr);
    assert.equal(two.stdout.split('\n').length, 3);
    for (const line of two.stdout.trimEnd().split('\n')) assert.match(line, new RegExp(`^${STAMP} (app|heroku|dyno)\\[[\\w.]+\\]: `));

    const worker = await ctl('logs', '--dyno', 'worker.1', '-s', 'app');
    assert.match(worker.stdout, new RegExp(`^${STAMP} app\\[worker\\.1\\]: READY\\n$`));
    const web = await ctl('logs', '-p', 'web', '--source', 'heroku');
    assert.match(web.stdout, /heroku\[web\.1\]: Starting process with command `node .*web\.js/);
    assert.match(web.stdout, /heroku\[web\.1\]: State changed from starting to up\n/);
    assert.doesNotMatch(web.stdout, /worker|app\[/);
    const pretty = await ctl('logs', '--dyno', 'worker.1', '-s', 'app', '--format', 'pretty');
    assert.match(pretty.stdout, /^\d\d:\d\d:\d\d worker\.1 +\| READY\n$/, 'the pretty format, as dyno start prints it (uncoloured into a pipe)');
    const json = await ctl('logs', '--dyno', 'worker.1', '-s', 'app', '--format', 'json');
    assert.deepEqual({ ...JSON.parse(json.stdout), ts: 0 }, { ts: 0, source: 'app', dyno: 'worker.1', stream: 'stdout', text: 'READY' });
    const bad = await ctl('logs', '-n', 'lots');
    assert.equal(bad.code, 2);

    follower = runDyno(['logs', '-t', '-n', '1', '--dyno', 'router'], { cwd: app.dir });
    const res = await httpGet(port, '/followed');
    assert.equal(res.status, 200);
    const routed = await follower.waitForLine(/heroku\[router\]: at=info method=GET path="\/followed" .*dyno=web\.1 /);
    assert.match(routed, new RegExp(`^${STAMP} `));
    assert.ok(follower.lines.every((l) => /heroku\[router\]/.test(l)), follower.stdout());
    run.signal('SIGINT');
    assert.equal(await run.exit, 0, `${run.stdout()}${run.stderr()}`);
    assert.equal(await follower.exit, 0, 'the follower ends when dyno start does');
  } finally {
    follower?.signal('SIGINT');
    run.signal('SIGINT');
    await run.exit;
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});
