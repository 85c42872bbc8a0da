// `dyno export` through the built CLI (or DYNO_BIN), each format checked by the real tool:
// systemd-analyze verify, supervisord running the example app, docker-compose config, kubernetes-models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { basePortFor } from '../helpers/fixture.js';
import { httpGet } from '../helpers/http-get.js';
import { projectRoot, runDynoToEnd } from '../helpers/run-dyno.js';
import { survivorsIn } from '../helpers/survivors.js';
import { copyApp, exampleDir } from '../helpers/example-app.js';
import { waitFor } from '../helpers/wait-for.js';
import { YAML_DOCUMENTS, python } from '../unit/export/oracles.js';

const golden = path.join(projectRoot, 'test/golden/app');

// A temp dir holding a copy of an app under `app/` (its own cwd, so survivors are ours alone).
async function exportOk(args: string[], cwd: string): Promise<string> {
  const r = await runDynoToEnd(['export', ...args], { cwd });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

const mode = (file: string): number => fs.statSync(file).mode & 0o777;

test('systemd: systemd-analyze verify accepts the units; env file 0600; no overwrite without --force', async () => {
  const t = copyApp();
  try {
    const out = await exportOk(['systemd', '-d', 'app', '-o', 'units', '-m', 'web=2,worker=1', '-a', 'shop'], t.dir);
    assert.deepEqual(out.trim().split('\n'), ['shop.target', 'shop-web.1.service', 'shop-web.2.service', 'shop-worker.1.service', 'shop.env'].map((f) => `Writing units/${f}`));
    const units = fs.readdirSync(path.join(t.dir, 'units')).filter((f) => !f.endsWith('.env')).map((f) => path.join(t.dir, 'units', f));
    const verify = spawnSync('systemd-analyze', ['verify', '--man=no', ...units], { encoding: 'utf8' });
    assert.equal(verify.error, undefined, 'systemd-analyze must be installed (Debian package systemd)');
    assert.equal(verify.status, 0, verify.stderr);
    assert.equal(verify.stderr, '');
    assert.equal(mode(path.join(t.dir, 'units/shop.env')), 0o600);
    assert.equal(mode(path.join(t.dir, 'units/shop.target')), 0o644);
    const again = await runDynoToEnd(['export', 'systemd', '-d', 'app', '-o', 'units', '-a', 'shop'], { cwd: t.dir });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exist.*\n.*--force/);
    await exportOk(['systemd', '-d', 'app', '-o', 'units', '-a', 'shop', '--force'], t.dir);
  } finally {
    t.cleanup();
  }
});

test('an unknown format exits 2 and lists the formats', async () => {
  const r = await runDynoToEnd(['export', 'upstart', '-d', exampleDir], { cwd: exampleDir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown export format "upstart"; the formats are systemd, supervisord, compose, kubernetes/);
});

// The body of GET / on 127.0.0.1:port, or undefined while nothing answers 200.
const get = (port: number): Promise<string | undefined> =>
  httpGet(port).then((r) => (r.status === 200 ? r.body : undefined), () => undefined);

test('supervisord: `supervisord -n` runs the exported example app, web.1 and web.2 serve on their ports, SIGTERM stops all', async () => {
  const t = copyApp();
  const port = basePortFor(61);
  try {
    await exportOk(['supervisord', '-d', 'app', '-o', 'conf', '-m', 'web=2,worker=1', '-p', String(port), '-t', '2'], t.dir);
    const main = ['[supervisord]', `pidfile=${t.dir}/supervisord.pid`, `logfile=${t.dir}/supervisord.log`, `childlogdir=${t.dir}`,
      '[unix_http_server]', `file=${t.dir}/supervisor.sock`, '[include]', `files=${t.dir}/conf/app.conf`].join('\n');
    fs.writeFileSync(path.join(t.dir, 'supervisord.conf'), `${main}\n`);
    const env = { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` };
    const sup = spawn('supervisord', ['-n', '-c', path.join(t.dir, 'supervisord.conf')], { env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => sup.on('exit', (code) => resolve(code)));
    try {
      const bodies = await Promise.all([port, port + 1].map((p) => waitFor(() => get(p), { timeoutMs: 10_000, what: () => `web on ${p}: ${fs.readFileSync(`${t.dir}/supervisord.log`, 'utf8')}` })));
      assert.match(bodies[0]!, /^Hello from dyno, this is web\.1 /);
      assert.match(bodies[1]!, /^Hello from dyno, this is web\.2 /);
      assert.ok(survivorsIn(path.join(t.dir, 'app')).length >= 3, 'web.1, web.2 and worker.1 run in the app directory');
    } finally {
      sup.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
    await waitFor(() => survivorsIn(path.join(t.dir, 'app')).length === 0, { timeoutMs: 3000, what: 'no exported dyno left' });
  } finally {
    t.cleanup();
  }
});

test('compose: docker-compose config accepts the file and reads back every command and env value', async () => {
  const t = copyApp(golden);
  try {
    await exportOk(['compose', '-d', 'app', '-o', 'compose', '-m', 'web=2,worker=1'], t.dir);
    assert.equal(mode(path.join(t.dir, 'compose/app.env')), 0o600);
    const r = spawnSync('docker-compose', ['-f', path.join(t.dir, 'compose/docker-compose.yml'), 'config'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    assert.equal(r.error, undefined, 'docker-compose must be installed (Debian package docker-compose)');
    assert.equal(r.status, 0, r.stderr);
    // `config` prints a reusable file: `$` comes back escaped as `$$`.
    const [[doc]] = python(YAML_DOCUMENTS, [r.stdout.replace(/\$\$/g, '$')]) as [[{ services: Record<string, { command: string[]; environment: Record<string, string>; deploy: { replicas: number } }> }]];
    const procfile = fs.readFileSync(path.join(t.app, 'Procfile'), 'utf8');
    for (const [name, service] of Object.entries(doc.services)) {
      assert.ok(procfile.includes(`${name}: ${service.command[2]}\n`), `${name}: ${service.command[2]}`);
    }
    assert.deepEqual([doc.services.web!.deploy.replicas, doc.services.urgent_worker!.deploy.replicas], [2, 0]);
    const env = doc.services.web!.environment;
    assert.equal(env.PASSWORD, `p'ss \\"w\\" ;&& 100%`);
    assert.equal(env.NOTE, 'line one\nline two');
    assert.equal(env.PRICE, 'cost: $5');
    assert.equal(env.SNOWMAN, '☃ ü 𝄞');
    assert.equal(env.DATABASE_URL, 'postgres://u:p%40ss@db:5432/acme?ssl=true&x=1');
    assert.deepEqual([env.PORT, env.DYNO], ['5100', 'web']);
  } finally {
    t.cleanup();
  }
});

test('kubernetes: every object passes the Kubernetes schemas; the Secret holds the env files, 0600', async () => {
  const t = copyApp(golden);
  try {
    await exportOk(['kubernetes', '-d', 'app', '-o', 'k8s', '-a', 'acme', '-m', 'web=2,worker=1'], t.dir);
    assert.equal(mode(path.join(t.dir, 'k8s/acme-secret.yaml')), 0o600);
    assert.equal(mode(path.join(t.dir, 'k8s/acme.yaml')), 0o644);
    const texts = ['acme.yaml', 'acme-secret.yaml'].map((f) => fs.readFileSync(path.join(t.dir, 'k8s', f), 'utf8'));
    const [objects, [secret]] = python(YAML_DOCUMENTS, texts) as [Array<{ kind: string }>, Array<Record<string, unknown>>];
    const models = { Deployment, Service, Ingress, Secret } as Record<string, new (data: never) => { validate(): void }>;
    assert.deepEqual(objects.map((o) => o.kind), ['Deployment', 'Deployment', 'Deployment', 'Service', 'Ingress']);
    for (const o of [...objects, secret!]) new models[(o as { kind: string }).kind]!(o as never).validate();
    assert.equal((secret as { stringData: Record<string, string> }).stringData.PASSWORD, `p'ss \\"w\\" ;&& 100%`);
    const web = objects[0] as unknown as { spec: { replicas: number; template: { spec: { containers: Array<{ command: string[] }> } } } };
    assert.equal(web.spec.replicas, 2);
    assert.equal(web.spec.template.spec.containers[0]!.command[2], `node server.js --name "acme web" && echo '$$PORT'; echo 100% $$DYNO # not a comment for sh`);
  } finally {
    t.cleanup();
  }
});

test('a bad object fails validation (the schema check can fail)', () => {
  assert.throws(() => new Deployment({ metadata: { name: 'x' }, spec: { replicas: 'two' as unknown as number, selector: {}, template: {} } }).validate());
});
