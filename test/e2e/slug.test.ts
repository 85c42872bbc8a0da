// dyno start --slug end to end: real git repos in temp dirs, real builds of dependency-free Node apps
// (npm ci offline), releases by commit, a failing build, rollback; nothing may survive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { basePortFor } from '../helpers/fixture.js';
import { gitApp, nodeAppFiles } from '../helpers/git-app.js';
import { httpGet } from '../helpers/http-get.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { waitFor } from '../helpers/wait-for.js';

const BUILD_MS = 60_000;

test('an app requiring an untracked file works without --slug and fails with it, with a line naming the file', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(151);
  const files = nodeAppFiles(marker);
  files['server.js'] = files['server.js']!.replace("require('./message.js')", "require('./config.js')");
  const app = gitApp(files, { 'config.js': "module.exports = 'local';\n" });
  const env = { XDG_CACHE_HOME: app.cache };
  try {
    const plain = runDyno(['start', '-p', String(port), '--timeout', '2'], { cwd: app.dir, env });
    await plain.waitForLine(/web\.1 +\* State changed from starting to up/);
    assert.equal((await httpGet(port, '/')).body, 'local from web.1');
    plain.signal('SIGINT');
    assert.equal(await plain.exit, 0, plain.stderr());

    const slug = runDyno(['start', '-p', String(port), '--timeout', '2', '--slug', '--no-restart'], { cwd: app.dir, env });
    await slug.waitForLine(/--slug: 1 path is in the working tree but not in [0-9a-f]{7} \(untracked or git-ignored; a push would not deploy it\): config\.js/, BUILD_MS);
    await slug.waitForLine(/Cannot find module '\.\/config\.js'/);
    assert.notEqual(await slug.exit, 0);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('a second commit is Release v2, served with no failed request during the switch; a failing build keeps v2; rollback v1 serves v1 again', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(152);
  const app = gitApp(nodeAppFiles(marker, 'v1'));
  const env = { XDG_CACHE_HOME: app.cache };
  const run = runDyno(['start', 'web=2', '-p', String(port), '--timeout', '2', '--slug', '--format', 'heroku'], { cwd: app.dir, env });
  const ctl = (...args: string[]) => runDynoToEnd(args, { cwd: app.dir, env });
  try {
    await run.waitForLine(/app\[api\]: Release v1 created by user dev@example\.com/, BUILD_MS);
    assert.ok(run.lines.some((l) => /app\[build\]: -----> Node\.js app detected/.test(l)), run.stdout());
    assert.ok(run.lines.some((l) => /app\[build\]: +Running build/.test(l)));
    await run.waitForLine(/--slug: every new commit is a deploy/);
    await run.waitForLine(/heroku\[web\.2\]: State changed from starting to up/);
    assert.match((await httpGet(port, '/')).body, /^v1 from web\.\d$/);

    const statuses: number[] = [];
    const bodies = new Set<string>();
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const r = await httpGet(port, '/').catch(() => ({ status: 0, body: '' }));
        statuses.push(r.status);
        bodies.add(r.body);
      }
    })();
    const sha2 = app.commit({ 'message.js': "module.exports = 'v2';\n" }, 'second');
    await run.waitForLine(new RegExp(`app\\[api\\]: Deploy ${sha2.slice(0, 7)} by user dev@example\\.com`), BUILD_MS);
    await run.waitForLine(/app\[api\]: Release v2 created by user dev@example\.com/);
    await waitFor(() => bodies.has('v2 from web.1') && bodies.has('v2 from web.2') && run.lines.filter((l) => /heroku\[web\.\d\]: State changed from starting to up/.test(l)).length >= 4, { timeoutMs: 20_000, what: 'both dynos on v2' });
    polling = false;
    await poll;
    assert.ok(statuses.length > 5, `requests were made during the switch (${statuses.length})`);
    assert.deepEqual(statuses.filter((s) => s !== 200), [], 'no failed request during the switch');

    app.commit({ 'build.js': 'process.exit(3);\n' }, 'broken build');
    await run.waitForLine(/app\[api\]: Build failed/, BUILD_MS);
    await run.waitForLine(/the build of [0-9a-f]{7} failed .*: v2 \([0-9a-f]{7}\) keeps running/);
    assert.match((await httpGet(port, '/')).body, /^v2 from web\.\d$/);

    const releases = await ctl('releases');
    assert.equal(releases.code, 0, releases.stderr);
    assert.match(releases.stdout, /^=== .* Releases - Current: v2\nv2 +Deploy [0-9a-f]{7} .*current\nv1 +Deploy /);

    const rollback = await ctl('rollback', 'v1');
    assert.equal(rollback.code, 0, rollback.stderr);
    assert.equal(rollback.stdout, 'Rolling back to v1... done, v3\n');
    await run.waitForLine(/app\[api\]: Rollback to v1 by user /);
    await run.waitForLine(/app\[api\]: Release v3 created by user /);
    await waitFor(async () => (await httpGet(port, '/')).body.startsWith('v1') && (await httpGet(port, '/')).body.startsWith('v1'), { timeoutMs: 20_000, what: 'v1 served again' });
    run.signal('SIGINT');
    assert.equal(await run.exit, 0, run.stderr());
  } finally {
    run.signal('SIGKILL');
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('a failing first build prints its output and exits with its status; nothing starts', async () => {
  const marker = uniqueMarker();
  const files = nodeAppFiles(marker);
  files['build.js'] = "console.log('compiling'); process.exit(3);\n";
  const app = gitApp(files);
  try {
    const r = await runDynoToEnd(['start', '-p', String(basePortFor(153)), '--slug', '--format', 'heroku'], { cwd: app.dir, env: { XDG_CACHE_HOME: app.cache } });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /app\[build\]: +compiling\n/);
    assert.match(r.stdout, /app\[build\]:  ! +build failed: `npm run build` exited with status 3/);
    assert.match(r.stderr, /^dyno: build of [0-9a-f]{7} failed: `npm run build` exited with status 3; nothing was started\n/);
    assert.doesNotMatch(r.stdout, /Starting process/);
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});
