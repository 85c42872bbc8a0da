// `dyno export` through the built CLI (or DYNO_BIN), each format checked by the real tool:
// systemd-analyze verify, supervisord running the example app, docker-compose config, kubernetes-models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { basePortFor } from '../helpers/fixture.js';
import { httpGet } from '../helpers/http-get.js';
import { dynoBin, projectRoot, runDynoToEnd } from '../helpers/run-dyno.js';
import { requireEngine } from '../helpers/require-engine.js';
import { survivorsIn } from '../helpers/survivors.js';
import { copyApp, exampleDir } from '../helpers/example-app.js';
import { waitFor } from '../helpers/wait-for.js';
import { YAML_DOCUMENTS, python } from '../unit/export/oracles.js';

const golden = path.join(projectRoot, 'test/golden/app');

// `dyno export …` in cwd, which must succeed; its stdout (the files written).
async function exportOk(args: string[], cwd: string): Promise<string> {
  const r = await runDynoToEnd(['export', ...args], { cwd });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

// systemd-analyze verify on every unit in dir: no complaint at all.
function verifyUnits(dir: string): void {
  const units = fs.readdirSync(dir).filter((f) => !f.endsWith('.env')).map((f) => path.join(dir, f));
  const verify = spawnSync('systemd-analyze', ['verify', '--man=no', ...units], { encoding: 'utf8' });
  assert.equal(verify.error, undefined);
  assert.equal(verify.status, 0, verify.stderr);
  assert.equal(verify.stderr, '');
}

const mode = (file: string): number => fs.statSync(file).mode & 0o777;

test('systemd: systemd-analyze verify accepts the units; env file 0600; no overwrite without --force', async (t0) => {
  if (!requireEngine(t0, 'systemd-analyze')) return;
  const t = copyApp();
  try {
    const out = await exportOk(['systemd', '-d', 'app', '-o', 'units', '-m', 'web=2,worker=1', '-a', 'shop'], t.dir);
    assert.deepEqual(out.trim().split('\n'), ['shop.target', 'shop-web.1.service', 'shop-web.2.service', 'shop-worker.1.service', 'shop.env'].map((f) => `Writing units/${f}`));
    verifyUnits(path.join(t.dir, 'units'));
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

// `supervisord -n` with its own socket (and the RPC interface supervisorctl needs), including `include` (relative to dir).
function runSupervisord(dir: string, include: string): { log(): string; waitForLog(text: string): Promise<string>; stop(): Promise<number | null> } {
  const main = ['[supervisord]', `pidfile=${dir}/supervisord.pid`, `logfile=${dir}/supervisord.log`, `childlogdir=${dir}`,
    '[unix_http_server]', `file=${dir}/supervisor.sock`, '[rpcinterface:supervisor]', 'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
    '[include]', `files=${dir}/${include}`].join('\n');
  fs.writeFileSync(path.join(dir, 'supervisord.conf'), `${main}\n`);
  const env = { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin` };
  const sup = spawn('supervisord', ['-n', '-c', path.join(dir, 'supervisord.conf')], { env, stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => sup.on('exit', (code) => resolve(code)));
  const log = (): string => fs.readFileSync(path.join(dir, 'supervisord.log'), { encoding: 'utf8', flag: 'a+' });
  return {
    log,
    waitForLog: (text) => waitFor(() => (log().includes(text) ? log() : undefined), { timeoutMs: 10_000, what: () => `${JSON.stringify(text)} in supervisord.log:\n${log()}` }),
    stop: () => {
      sup.kill('SIGTERM');
      return exited;
    },
  };
}

// The body of GET / on 127.0.0.1:port, or undefined while nothing answers 200.
const get = (port: number): Promise<string | undefined> =>
  httpGet(port).then((r) => (r.status === 200 ? r.body : undefined), () => undefined);

test('systemd: the release unit is a oneshot every dyno Requires= and runs After=; -t 0 kills at once (SIGKILL, not "no timeout"); --app-root', async (t0) => {
  if (!requireEngine(t0, 'systemd-analyze')) return;
  const t = copyApp(golden);
  try {
    const r = await runDynoToEnd(['export', 'systemd', '-d', 'app', '-o', 'units', '-a', 'acme', '-m', 'web=1', '-t', '0', '--app-root', '/srv/acme/'], { cwd: t.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'no --app-root notice when it is given');
    verifyUnits(path.join(t.dir, 'units'));
    const read = (f: string): string => fs.readFileSync(path.join(t.dir, 'units', f), 'utf8');
    const release = read('acme-release.service');
    for (const line of ['Type=oneshot', 'RemainAfterExit=yes', 'Environment="DYNO=release.1"', 'ExecStart=/bin/sh -c "echo migrating"', 'TimeoutStartSec=3600', 'WorkingDirectory=/srv/acme']) {
      assert.ok(release.split('\n').includes(line), `${line} in\n${release}`);
    }
    const web = read('acme-web.1.service').split('\n');
    for (const line of ['Requires=acme-release.service', 'After=network.target acme-release.service', 'KillSignal=SIGKILL', 'TimeoutStopSec=1']) assert.ok(web.includes(line), line);
    assert.ok(!web.includes('TimeoutStopSec=0'));
    assert.match(read('acme.target'), /^Wants=acme-release\.service acme-web\.1\.service$/m);
    const without = await runDynoToEnd(['export', 'systemd', '-d', 'app', '-o', 'units0', '-a', 'acme', '-m', 'web=1,release=0'], { cwd: t.dir });
    assert.equal(without.code, 0, without.stderr);
    assert.match(without.stderr, /^notice: the files run the app from .*\/app, its directory on this machine; pass --app-root for its path on the target machine\n$/);
    assert.ok(!fs.existsSync(path.join(t.dir, 'units0/acme-release.service')));
    const twice = await runDynoToEnd(['export', 'systemd', '-d', 'app', '-o', 'units2', '-m', 'release=2'], { cwd: t.dir });
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /release runs once/);
  } finally {
    t.cleanup();
  }
});

test('export to a closed pipe (`dyno export … | true`) ends quietly, exit 0, every file written', async () => {
  const t = copyApp();
  try {
    const dyno = dynoBin.endsWith('.cjs') ? `"${process.execPath}" "${dynoBin}"` : `"${dynoBin}"`;
    const r = spawnSync('bash', ['-c', `${dyno} export systemd -d app -o units 2>err | true; echo "\${PIPESTATUS[0]}"`], { cwd: t.dir, encoding: 'utf8' });
    assert.equal(r.stdout.trim(), '0');
    assert.doesNotMatch(fs.readFileSync(path.join(t.dir, 'err'), 'utf8'), /EPIPE|Error|at /);
    assert.equal(fs.readdirSync(path.join(t.dir, 'units')).length, 5);
  } finally {
    t.cleanup();
  }
});

test('supervisord: `supervisord -n` runs the release program, then the exported example app as nobody (env file given to nobody); web.1 and web.2 serve; SIGTERM stops all', { timeout: 60_000 }, async (t0) => {
  if (!requireEngine(t0, 'supervisord')) return;
  const t = copyApp();
  const port = basePortFor(61);
  try {
    // nobody must reach the app and the env file: the temp dir is 0700.
    fs.chmodSync(t.dir, 0o755);
    fs.appendFileSync(path.join(t.app, 'Procfile'), 'release: echo "release as $(id -un), DYNO=$DYNO, GREETING=${GREETING:+set}"\n');
    const user = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
    await exportOk(['supervisord', '-d', 'app', '-o', 'conf', '-m', 'web=2,worker=1', '-p', String(port), '-t', '2', ...user], t.dir);
    const envFile = fs.statSync(path.join(t.dir, 'conf/app.env'));
    assert.equal(envFile.mode & 0o777, 0o600);
    if (user.length) assert.equal(envFile.uid, Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim()), 'the env file belongs to nobody');
    const sup = runSupervisord(t.dir, 'conf/app.conf');
    try {
      const bodies = await Promise.all([port, port + 1].map((p) => waitFor(() => get(p), { timeoutMs: 10_000, what: () => `web on ${p}: ${sup.log()}` })));
      assert.match(bodies[0]!, /^Hello from dyno, this is web\.1 /);
      assert.match(bodies[1]!, /^Hello from dyno, this is web\.2 /);
      assert.ok(survivorsIn(path.join(t.dir, 'app')).length >= 3, 'web.1, web.2 and worker.1 run in the app directory');
      // The release program starts the group (supervisorctl) only after its command exited 0, then exits 0 itself.
      const log = await sup.waitForLog('exited: release.1 (exit status 0; expected)');
      assert.ok(log.indexOf("spawned: 'release.1'") < log.indexOf("spawned: 'web.1'"), log);
      const releaseLog = fs.readdirSync(t.dir).find((f) => f.startsWith('release.1-stdout'));
      const releaseOut = fs.readFileSync(path.join(t.dir, releaseLog!), 'utf8');
      assert.match(releaseOut, new RegExp(`^release as ${user.length ? 'nobody' : '\\w+'}, DYNO=release\\.1, GREETING=set\\n(.*\\n)?.*web.1: started`, 'm'));
      if (user.length) {
        const web = survivorsIn(path.join(t.dir, 'app'))[0]!;
        assert.equal(fs.statSync(`/proc/${web}`).uid, envFile.uid, 'the dynos run as nobody');
      }
    } finally {
      assert.equal(await sup.stop(), 0);
    }
    await waitFor(() => survivorsIn(path.join(t.dir, 'app')).length === 0, { timeoutMs: 3000, what: 'no exported dyno left' });
  } finally {
    t.cleanup();
  }
});

test('supervisord: a failing release starts no dyno (the group waits for a release that exits 0)', { timeout: 60_000 }, async (t0) => {
  if (!requireEngine(t0, 'supervisord')) return;
  const t = copyApp();
  try {
    fs.appendFileSync(path.join(t.app, 'Procfile'), 'release: echo migration failed; exit 3\n');
    await exportOk(['supervisord', '-d', 'app', '-o', 'conf', '-m', 'web=1,worker=1', '-p', String(basePortFor(62)), '-t', '1'], t.dir);
    const sup = runSupervisord(t.dir, 'conf/app.conf');
    try {
      // Only the release program's supervisorctl could start the group, and it never runs after exit 3.
      const log = await sup.waitForLog('exited: release.1 (exit status 3; not expected)');
      assert.doesNotMatch(log, /spawned: '(web|worker)\.1'/);
      assert.deepEqual(survivorsIn(t.app), []);
    } finally {
      assert.equal(await sup.stop(), 0);
    }
  } finally {
    t.cleanup();
  }
});

test('compose: docker-compose config accepts the file and reads back every command and env value; release gates the services; no Dockerfile is warned about', async (t0) => {
  if (!requireEngine(t0, 'docker-compose')) return;
  const t = copyApp(golden);
  try {
    const exported = await runDynoToEnd(['export', 'compose', '-d', 'app', '-o', 'compose', '-m', 'web=2,worker=1'], { cwd: t.dir });
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stderr, /^warning: app has no Dockerfile: docker compose builds every service's image from it; add one before `docker compose up`$/m);
    fs.writeFileSync(path.join(t.app, 'Dockerfile'), 'FROM node:20\n');
    const again = await runDynoToEnd(['export', 'compose', '-d', 'app', '-o', 'compose', '-m', 'web=2,worker=1', '--force'], { cwd: t.dir });
    assert.doesNotMatch(again.stderr, /Dockerfile/);
    assert.equal(mode(path.join(t.dir, 'compose/app.env')), 0o600);
    const r = spawnSync('docker-compose', ['-f', path.join(t.dir, 'compose/docker-compose.yml'), 'config'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    assert.equal(r.error, undefined, 'docker-compose must be installed (Debian package docker-compose)');
    assert.equal(r.status, 0, r.stderr);
    // `config` prints a reusable file: `$` comes back escaped as `$$`.
    type Service = { command: string[]; environment: Record<string, string>; deploy?: { replicas: number }; depends_on?: Record<string, { condition: string }>; restart: string };
    const [[doc]] = python(YAML_DOCUMENTS, [r.stdout.replace(/\$\$/g, '$')]) as [[{ services: Record<string, Service> }]];
    const procfile = fs.readFileSync(path.join(t.app, 'Procfile'), 'utf8');
    assert.deepEqual(Object.keys(doc.services).sort(), ['release', 'urgent_worker', 'web', 'worker']);
    assert.deepEqual([doc.services.release!.restart, doc.services.release!.environment.DYNO], ['no', 'release.1']);
    for (const name of ['web', 'worker', 'urgent_worker']) assert.deepEqual(doc.services[name]!.depends_on, { release: { condition: 'service_completed_successfully' } });
    for (const [name, service] of Object.entries(doc.services)) {
      assert.ok(procfile.includes(`${name}: ${service.command[2]}\n`), `${name}: ${service.command[2]}`);
    }
    assert.deepEqual([doc.services.web!.deploy!.replicas, doc.services.urgent_worker!.deploy!.replicas], [2, 0]);
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

test('kubernetes: every object passes the Kubernetes schemas; the release is a Job applied first; the Secret holds the env files, 0600', async (t0) => {
  if (!requireEngine(t0, 'pyyaml')) return;
  const t = copyApp(golden);
  try {
    const r = await runDynoToEnd(['export', 'kubernetes', '-d', 'app', '-o', 'k8s', '-a', 'acme', '-m', 'web=2,worker=1'], { cwd: t.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^notice: apply the release Job first and the rest once it completed: .*kubectl wait --for=condition=complete --timeout=3600s job\/acme-release && kubectl apply -f acme\.yaml$/m);
    assert.equal(mode(path.join(t.dir, 'k8s/acme-secret.yaml')), 0o600);
    assert.equal(mode(path.join(t.dir, 'k8s/acme.yaml')), 0o644);
    const texts = ['acme.yaml', 'acme-secret.yaml', 'acme-release.yaml'].map((f) => fs.readFileSync(path.join(t.dir, 'k8s', f), 'utf8'));
    const [objects, [secret], [job]] = python(YAML_DOCUMENTS, texts) as [Array<{ kind: string }>, Array<Record<string, unknown>>, Array<{ kind: string; spec: { backoffLimit: number; template: { spec: { restartPolicy: string; containers: Array<{ command: string[] }> } } } }>];
    const models = { Deployment, Service, Ingress, Secret, Job } as Record<string, new (data: never) => { validate(): void }>;
    assert.deepEqual(objects.map((o) => o.kind), ['Deployment', 'Deployment', 'Deployment', 'Service', 'Ingress']);
    for (const o of [...objects, secret!, job!]) new models[(o as { kind: string }).kind]!(o as never).validate();
    assert.equal(job!.kind, 'Job');
    assert.deepEqual([job!.spec.backoffLimit, job!.spec.template.spec.restartPolicy, job!.spec.template.spec.containers[0]!.command[2]], [0, 'Never', 'echo migrating']);
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
