// The release phase end to end (HEROKU.md §2.9): the built CLI runs `release` first as release.1, starts
// the formation only after it exits 0, stops with its status when it fails; nothing may survive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempApp } from '../helpers/temp-app.js';
import { runDyno, runDynoToEnd } from '../helpers/run-dyno.js';
import { assertNoSurvivors, uniqueMarker } from '../helpers/survivors.js';
import { basePortFor, fixture } from '../helpers/fixture.js';

// Lines without their timestamp: `heroku[release.1]: State changed …`.
function untimed(stdout: string): string[] {
  return stdout.split('\n').map((l) => l.replace(/^\S+ /, ''));
}

test('release runs first as release.1 with the Heroku lines; web and worker start only after it exits 0', async () => {
  const marker = uniqueMarker();
  const port = basePortFor(61);
  const release = `echo migrating && ${fixture('crash-after', marker)}`;
  const app = tempApp({
    Procfile: `release: ${release}\nweb: ${fixture('web', marker)}\nworker: ${fixture('forever', marker)}\n`,
    '.env': 'EXIT_CODE=0\n',
  });
  try {
    const run = runDyno(['start', '-p', String(port), '--timeout', '1', '--format', 'heroku'], { cwd: app.dir });
    await run.waitForLine(/heroku\[web\.1\]: State changed from starting to up/);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
    const lines = untimed(run.stdout());
    const ours = lines.filter((l) => l.includes('[release.1]'));
    assert.deepEqual(ours, [
      `heroku[release.1]: Starting process with command \`${release}\``,
      'heroku[release.1]: State changed from starting to up',
      'app[release.1]: migrating',
      'app[release.1]: CRASHING',
      'heroku[release.1]: Process exited with status 0',
      'heroku[release.1]: State changed from up to complete',
    ]);
    const complete = lines.indexOf('heroku[release.1]: State changed from up to complete');
    const firstFormationLine = lines.findIndex((l) => /\[(web|worker)\.1\]/.test(l));
    assert.ok(complete >= 0 && complete < firstFormationLine, run.stdout());
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('a failed release stops dyno start with its status, says so, and starts nothing else', async () => {
  const marker = uniqueMarker();
  const app = tempApp({
    Procfile: `release: ${fixture('crash-after', marker)}\nweb: ${fixture('web', marker)}\nworker: ${fixture('forever', marker)}\n`,
    '.env': 'EXIT_CODE=3\n',
  });
  try {
    const { code, stdout, stderr } = await runDynoToEnd(['start', '-p', String(basePortFor(62)), '--format', 'heroku'], { cwd: app.dir });
    assert.equal(code, 3, stderr);
    assert.equal(
      stderr,
      'dyno: release phase failed: release.1 exited with status 3; no other dyno was started\n' +
        '  hint: fix the `release` command in the Procfile, or skip it with --no-release\n',
    );
    const lines = untimed(stdout);
    assert.deepEqual(lines.filter((l) => l.startsWith('heroku[release.1]')).slice(-2), ['heroku[release.1]: Process exited with status 3', 'heroku[release.1]: State changed from up to complete']);
    assert.deepEqual(lines.filter((l) => /\[(web|worker)\.1\]/.test(l)), [], 'no formation dyno started');
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('--no-release skips the release phase', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `release: ${fixture('crash-after', marker)}\nworker: ${fixture('forever', marker)}\n`, '.env': 'EXIT_CODE=3\n' });
  try {
    const run = runDyno(['start', '--no-release', '--no-router', '-p', String(basePortFor(63)), '--timeout', '1'], { cwd: app.dir });
    await run.waitForLine(/worker\.1 +\| READY/);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
    assert.equal(run.lines.filter((l) => l.includes('release.1')).length, 0, run.stdout());
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});

test('Ctrl-C during the release stops it, leaves no process and starts nothing', async () => {
  const marker = uniqueMarker();
  const app = tempApp({ Procfile: `release: ${fixture('forever', marker)}\nworker: ${fixture('forever', marker)}\n` });
  try {
    const run = runDyno(['start', '--no-router', '-p', String(basePortFor(64)), '--timeout', '1', '--format', 'heroku'], { cwd: app.dir });
    await run.waitForLine(/app\[release\.1\]: READY/);
    run.signal('SIGINT');
    assert.equal(await run.exit, 0);
    const lines = untimed(run.stdout());
    assert.deepEqual(lines.filter((l) => l.startsWith('heroku[release.1]')).slice(-2), ['heroku[release.1]: Process exited with status 143', 'heroku[release.1]: State changed from up to complete']);
    assert.deepEqual(lines.filter((l) => l.includes('[worker.1]')), []);
    assert.equal(run.stderr(), '');
  } finally {
    await assertNoSurvivors(marker);
    app.cleanup();
  }
});
