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
