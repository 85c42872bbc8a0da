import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { App } from '../../../src/app/load-app.js';
import { parseFormation } from '../../../src/app/formation.js';
import { DynoError, type ErrorCode } from '../../../src/core/errors.js';
import { defaultAppName, planExport, type PlanOptions } from '../../../src/export/export-plan.js';
import type { ExportPlan } from '../../../src/export/exporter.js';

// An App as loadApp returns it: web, worker, release; the shell env must never reach the plan.
function app(fileEnv: Record<string, string> = {}, names = ['web', 'worker', 'release']): App {
  const types = names.map((name, index) => ({ name, command: `run ${name}`, index, line: index + 1 }));
  const shellEnv = { PATH: '/home/dev/bin', SECRET_TOKEN: 'shell-secret', PORT: '7000' };
  return { root: '/srv/My App!', procfilePath: '/srv/My App!/Procfile', types, shellEnv, fileEnv, env: { ...shellEnv, ...fileEnv }, envFiles: [], problems: [] };
}
const base: PlanOptions = { outDir: '/out', graceSeconds: 30 };

const rows: Array<{ name: string; app?: App; o?: Partial<PlanOptions>; check?: (p: ExportPlan) => void; error?: ErrorCode }> = [
  { name: 'no formation: every type once, release left out; foreman ports from 5006 (shell PORT ignored)', check: (p) => assert.deepEqual(p.types.map((t) => [t.name, t.count, t.port]), [['web', 1, 5006], ['worker', 1, 5106]]) },
  { name: '-m web=3: types not named get 0', o: { formation: parseFormation(['web=3']) }, check: (p) => assert.deepEqual(p.types.map((t) => t.count), [3, 0]) },
  { name: 'PORT in the env file is the base port, as for start', app: app({ PORT: '6000' }), check: (p) => assert.equal(p.types[0]!.port, 6000) },
  { name: '-p wins over the env file', app: app({ PORT: '6000' }), o: { portFlag: '8000' }, check: (p) => assert.equal(p.types[1]!.port, 8100) },
  { name: "only the env files' values: no PATH or secrets from the shell", app: app({ A: '1' }), check: (p) => assert.deepEqual(p.env, { A: '1' }) },
  { name: 'per-dyno variables from env files are dropped (each format sets them)', app: app({ PORT: '6000', DYNO: 'x', PS: 'y', FOREMAN_WORKER_NAME: 'z', B: '2' }), check: (p) => assert.deepEqual(p.env, { B: '2' }) },
  { name: 'default app name from the directory, as a DNS label', check: (p) => assert.equal(p.app, 'my-app') },
  { name: '-a and -u are kept', o: { app: 'shop-2', user: 'deploy' }, check: (p) => assert.deepEqual([p.app, p.user], ['shop-2', 'deploy']) },
  { name: 'an app name with a space is refused', o: { app: 'my app' }, error: 'USAGE' },
  { name: 'an app name with ; is refused', o: { app: 'a;rm' }, error: 'USAGE' },
  { name: 'a user name with a newline is refused', o: { user: 'root\nUser=x' }, error: 'USAGE' },
  { name: 'an env name a shell cannot export is refused', app: app({ 'my-key': 'v' }), error: 'ENV_SYNTAX' },
  { name: 'an unknown type in the formation is refused', o: { formation: parseFormation(['nosuch=1']) }, error: 'UNKNOWN_TYPE' },
  { name: 'a formation of zero dynos is refused', o: { formation: parseFormation(['web=0']) }, error: 'BAD_FORMATION' },
  { name: 'ports past 65535 are refused', o: { portFlag: '65500' }, error: 'PORT_RANGE' },
  { name: "the Procfile's release command is the plan's release phase", check: (p) => assert.equal(p.release, 'run release') },
  { name: 'no release type: no release phase', app: app({}, ['web']), check: (p) => assert.equal(p.release, undefined) },
  { name: '-m release=0 leaves the release phase out', o: { formation: parseFormation(['web=2,release=0']) }, check: (p) => assert.deepEqual([p.release, p.types[0]!.count], [undefined, 2]) },
  { name: '-m release=1 alone keeps it and every other type once', o: { formation: parseFormation(['release=1']) }, check: (p) => assert.deepEqual([p.release, p.types.map((t) => t.count)], ['run release', [1, 1]]) },
  { name: '-m release=2 is refused (it runs once)', o: { formation: parseFormation(['release=2']) }, error: 'BAD_FORMATION' },
  { name: 'without --app-root the root is the app directory here', check: (p) => assert.equal(p.root, '/srv/My App!') },
  { name: '--app-root is the root on the target machine (normalised)', o: { appRoot: '/opt//shop/' }, check: (p) => assert.equal(p.root, '/opt/shop') },
  { name: 'a relative --app-root is refused', o: { appRoot: 'srv/shop' }, error: 'USAGE' },
  { name: 'an --app-root with a newline is refused', o: { appRoot: '/srv/a\nExecStart=x' }, error: 'USAGE' },
];

for (const row of rows) {
  test(row.name, () => {
    const run = (): ExportPlan => planExport(row.app ?? app(), { ...base, ...row.o });
    if (row.error) assert.throws(run, (e: unknown) => e instanceof DynoError && e.code === row.error);
    else row.check!(run());
  });
}

const names: Array<[string, string]> = [
  ['/srv/acme', 'acme'],
  ['/srv/My_Shop.v2', 'my-shop-v2'],
  ['/srv/---', 'app'],
  ['/srv/ünï', 'n'],
  [`/srv/${'x'.repeat(60)}`, 'x'.repeat(40)],
];
for (const [root, name] of names) {
  test(`defaultAppName(${JSON.stringify(root)}) = ${name}`, () => assert.equal(defaultAppName(root), name));
}
