// Every exporter against files under test/golden/<format>/, rendered from test/golden/app with fixed
// paths. Regenerate after an intended change with UPDATE_GOLDEN=1 and review the diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadApp } from '../../../src/app/load-app.js';
import { parseFormation } from '../../../src/app/formation.js';
import { DynoError } from '../../../src/core/errors.js';
import { planExport } from '../../../src/export/export-plan.js';
import { EXPORTERS, findExporter } from '../../../src/export/exporter.js';
import { projectRoot } from '../../helpers/run-dyno.js';

const goldenDir = path.join(projectRoot, 'test/golden');

/** The fixture app as if it lived in /srv/acme and exported to /etc/dyno/acme, web=2 worker=1 urgent_worker=0. */
export function goldenPlan(): ReturnType<typeof planExport> {
  const app = loadApp({ cwd: path.join(goldenDir, 'app'), shellEnv: { PATH: '/secret/dev/bin', AWS_SECRET: 'from-the-shell' } });
  return planExport(app, { formation: parseFormation(['web=2,worker=1']), app: 'acme', user: 'deploy', appRoot: '/srv/acme', outDir: '/etc/dyno/acme', graceSeconds: 30 });
}

for (const exporter of EXPORTERS) {
  test(`${exporter.format}: rendered files match test/golden/${exporter.format}/`, () => {
    const files = exporter.render(goldenPlan());
    const dir = path.join(goldenDir, exporter.format);
    if (process.env.UPDATE_GOLDEN === '1') {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      for (const f of files) fs.writeFileSync(path.join(dir, f.path), f.content);
    }
    assert.deepEqual(files.map((f) => f.path).sort(), fs.readdirSync(dir).sort(), 'the set of files');
    for (const f of files) assert.equal(f.content, fs.readFileSync(path.join(dir, f.path), 'utf8'), f.path);
  });

  test(`${exporter.format}: the env values go only into secret files, never the shell's PATH or secrets`, () => {
    const files = exporter.render(goldenPlan());
    const secrets = files.filter((f) => f.secret);
    assert.equal(secrets.length, 1, 'exactly one secret file');
    for (const f of files) {
      assert.ok(!f.content.includes('/secret/dev/bin') && !f.content.includes('from-the-shell'), `${f.path} holds the shell env`);
      assert.ok(!f.content.includes('must-not-leak'), `${f.path} holds DYNO from the env file`);
      if (!f.secret) assert.ok(!f.content.includes('p%40ss') && !f.content.includes('cost:'), `${f.path} holds env values`);
    }
    assert.match(secrets[0]!.content, /PASSWORD/);
  });
}

test('an unknown format is a USAGE error that lists the formats', () => {
  assert.throws(() => findExporter('upstart'), (e: unknown) => {
    assert.ok(e instanceof DynoError && e.code === 'USAGE');
    assert.match(e.message, /"upstart".*systemd, supervisord, compose, kubernetes/);
    return true;
  });
});
