import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCheckReport, formatCheckReport } from '../../../src/app/check-report.js';
import { parseFormation } from '../../../src/app/formation.js';
import type { App } from '../../../src/app/load-app.js';
import { parseProcfile } from '../../../src/app/procfile.js';

// An App from Procfile text, as loadApp({collect: true}) would build it.
function appFrom(procfile: string, fileEnv: Record<string, string> = {}): App {
  const { types, problems } = parseProcfile(procfile, 'Procfile');
  return { root: '/app', procfilePath: '/app/Procfile', types, shellEnv: {}, fileEnv, env: fileEnv, envFiles: [], problems };
}

const rows: Array<{ name: string; procfile: string; tokens?: string[]; fileEnv?: Record<string, string>; port?: string; valid: boolean; codes: string[]; output: RegExp[] }> = [
  {
    name: 'a valid Procfile prints the summary, formation and ports', procfile: 'web: a\nworker: b\n', valid: true, codes: [],
    output: [/^valid Procfile: web, worker \(2 process types\)$/m, /^formation: web=1 worker=1 \(web\.1 :5007, worker\.1 :5107; router :5006\)$/m],
  },
  { name: 'one type is singular', procfile: 'web: a', valid: true, codes: [], output: [/^valid Procfile: web \(1 process type\)$/m] },
  { name: 'warnings keep it valid and are counted', procfile: 'worker: a', valid: true, codes: ['no-web'], output: [/^Procfile: warning: no `web`/m, /^valid Procfile: worker \(1 process type\), 1 warning$/m] },
  { name: 'release is not in the formation', procfile: 'web: a\nrelease: m', valid: true, codes: ['release'], output: [/^formation: web=1 \(web\.1 :5007; router :5006\)$/m] },
  { name: 'errors make it invalid with a count', procfile: 'web:a\nweb b', valid: false, codes: ['no-space-after-colon', 'missing-colon'], output: [/^Procfile:1:5: error: /m, /^invalid: 1 error, 1 warning$/m] },
  { name: '§7 `check nosuch` → formation error unknown-type', procfile: 'web: a', tokens: ['nosuch'], valid: false, codes: ['unknown-type'], output: [/^formation: error: unknown process type "nosuch"/m, /^  hint: the Procfile defines: web$/m] },
  { name: 'a formation with -p shows its ports', procfile: 'web: a\nworker: b', tokens: ['web=2'], port: '3000', valid: true, codes: [], output: [/^formation: web=2 \(web\.1 :3001, web\.2 :3002; router :3000\)$/m] },
  { name: 'a bad PORT in the env file → port error', procfile: 'web: a', fileEnv: { PORT: 'oops' }, valid: false, codes: ['port-range'], output: [/^port: error: PORT in the env file "oops" is not a port number$/m] },
  { name: 'ports past 65535 → formation error port-range', procfile: 'web: a\nworker: b', port: '65500', valid: false, codes: ['port-range'], output: [/^formation: error: worker\.1 would get port 65601/m] },
];

for (const row of rows) {
  test(row.name, () => {
    const report = buildCheckReport({ app: appFrom(row.procfile, row.fileEnv), request: parseFormation(row.tokens ?? []), portFlag: row.port });
    assert.equal(report.valid, row.valid);
    assert.deepEqual(report.problems.map((p) => p.code), row.codes);
    const text = formatCheckReport(report);
    for (const re of row.output) assert.match(text, re);
  });
}

test('10,000 types: the summary lists 10 names and the count', () => {
  const procfile = Array.from({ length: 10_000 }, (_, i) => `t${i}: x`).join('\n');
  const report = buildCheckReport({ app: appFrom(procfile), request: parseFormation(['t0']) });
  assert.match(formatCheckReport(report), /^valid Procfile: t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, … \(10000 process types\), 1 warning$/m);
});

test('text output shows at most 200 problems and says how many more', () => {
  const procfile = `web: a\n${'bad.name: x\n'.repeat(250)}`;
  const text = formatCheckReport(buildCheckReport({ app: appFrom(procfile) }));
  assert.equal(text.match(/error: type name/g)?.length, 200);
  assert.match(text, /^… 50 more problems \(--json lists them all\)$/m);
});

test('the report is plain data for --json', () => {
  const report = buildCheckReport({ app: appFrom('web: a') });
  assert.deepEqual(JSON.parse(JSON.stringify(report)), {
    valid: true, types: [{ name: 'web', command: 'a', line: 1 }], problems: [], formation: { web: 1 }, basePort: 5006, dynos: [{ name: 'web.1', port: 5007 }],
  });
});
