// `dyno check` through the built CLI (dist/dyno.cjs), in throwaway apps: exit codes and exact lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
import { projectRoot, runDynoToEnd } from '../helpers/run-dyno.js';
import { assertNoSurvivors } from '../helpers/survivors.js';
import { tempApp } from '../helpers/temp-app.js';

const OK = 'web: node web.js\nworker: node worker.js\n';
const hasGit = !spawnSync('git', ['--version'], { stdio: 'ignore' }).error;

interface Row {
  name: string;
  files: Record<string, string | Buffer>;
  args?: string[];
  /** Shell commands run in the app before dyno (e.g. git init). */
  setup?: string[][];
  env?: Record<string, string | undefined>;
  code: number;
  stdout?: RegExp[];
  stderr?: RegExp[];
  notStdout?: RegExp[];
  skip?: string | false;
}

const rows: Row[] = [
  { name: 'a valid app: exit 0 and the summary', files: { Procfile: OK }, code: 0, stdout: [/^valid Procfile: web, worker \(2 process types\)$/m, /^formation: web=1 worker=1 \(web\.1 :5007, worker\.1 :5107; router :5006\)$/m] },
  { name: 'every problem at once, in file order, then the error summary', files: { Procfile: 'web:npm start\nworker : w\nweb.api: x\nclock: c\n' }, code: 1, stdout: [/^Procfile:1:5: error: no space after `web:`; Heroku ignores this line\n {2}hint: add a space after the colon: `web: npm start`\nProcfile:2:7: error: space before the colon/m, /^Procfile:3:4: error: type name `web\.api`/m, /^invalid: 3 errors, 1 warning$/m] },
  { name: 'warnings only: exit 0', files: { Procfile: 'worker: w\nrelease: m\n' }, code: 0, stdout: [/^Procfile: warning: no `web` process type/m, /^Procfile:2:1: warning: `release` is the release phase/m, /^valid Procfile: worker, release \(2 process types\), 2 warnings$/m] },
  { name: "§7 honcho's check passes an empty file; ours fails", files: { Procfile: '' }, code: 1, stdout: [/^Procfile: error: no process types defined$/m] },
  { name: '§7 nf reports a syntax error as "no Procfile"; a missing one is its own error (exit 2)', files: {}, code: 2, stderr: [/^dyno: Procfile not found: Procfile$/m, /hint: create one/] },
  { name: 'a directory given as Procfile: exit 2 naming it', files: { 'Procfile.d/x': '' }, args: ['-f', 'Procfile.d'], code: 2, stderr: [/^dyno: Procfile\.d is a directory, not a file$/m] },
  { name: 'a binary Procfile: one clear problem', files: { Procfile: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00]) }, code: 1, stdout: [/^Procfile:1:7: error: not a text file \(NUL byte\)$/m, /^invalid: 1 error$/m] },
  { name: 'invalid UTF-8: a problem, no crash', files: { Procfile: Buffer.from('web: caf\xe9\n', 'latin1') }, code: 1, stdout: [/^Procfile:1:9: error: invalid UTF-8/m] },
  { name: 'a UTF-16 Procfile (PowerShell `>`): a problem with a hint', files: { Procfile: Buffer.from('\ufeffweb: node web.js\r\n', 'utf16le') }, code: 1, stdout: [/^Procfile: error: file is UTF-16 encoded/m, /iconv/] },
  { name: 'a UTF-8 BOM hides the first line from Heroku', files: { Procfile: '\ufeffweb: node web.js\n' }, code: 1, stdout: [/^Procfile:1:1: error: file starts with a byte order mark/m] },
  { name: 'CRLF endings are fine', files: { Procfile: 'web: node web.js\r\nworker: w\r\n' }, code: 0, stdout: [/^valid Procfile: web, worker/m] },
  { name: 'a 10 MB line: checked, and not echoed back', files: { Procfile: `web: node web.js ${'x'.repeat(10 * 1024 * 1024)}\n` }, code: 0, stdout: [/^valid Procfile: web \(1 process type\)$/m] },
  { name: 'a 10,000-type Procfile: fast, summary cut after 10 names', files: { Procfile: Array.from({ length: 10_000 }, (_, i) => `t${i}: x`).join('\n') }, args: ['t0,t1'], code: 0, stdout: [/^valid Procfile: t0, t1, t2, t3, t4, t5, t6, t7, t8, t9, … \(10000 process types\), 1 warning$/m] },
  { name: '§7 foreman `start nosuch` hangs; `check nosuch` names the type', files: { Procfile: OK }, args: ['nosuch'], code: 1, stdout: [/^formation: error: unknown process type "nosuch" in formation "nosuch"\n {2}hint: the Procfile defines: web, worker$/m] },
  { name: '§7 foreman `-m web=abc` hangs; a bad token is a usage error (exit 2)', files: { Procfile: OK }, args: ['-m', 'web=abc'], code: 2, stderr: [/^dyno: bad formation "web=abc": "abc" is not a whole number$/m] },
  { name: 'a formation and -p show the ports', files: { Procfile: OK }, args: ['web=2', '-m', 'worker=1', '-p', '3000'], code: 0, stdout: [/^formation: web=2 worker=1 \(web\.1 :3001, web\.2 :3002, worker\.1 :3101; router :3000\)$/m] },
  { name: 'more than 100 dynos in all is refused', files: { Procfile: OK }, args: ['all=60'], code: 1, stdout: [/^formation: error: formation asks for 120 dynos; Heroku allows at most 100 per app$/m] },
  { name: '§7 heroku local runs without a mistyped -e file; we stop (exit 2)', files: { Procfile: OK }, args: ['-e', '.env.tset'], code: 2, stderr: [/^dyno: env file not found: \.env\.tset$/m] },
  { name: 'an env file with NUL bytes: a problem, no crash', files: { Procfile: OK, '.env': Buffer.from('A=1\0\n') }, code: 1, stdout: [/^\.env:1:4: error: not a text file \(NUL byte\)$/m] },
  {
    name: '§7 .env dialect: dropped lines, mangled values, literal ${VAR}, refused names, duplicates',
    files: { Procfile: OK, '.env': 'SPACE IN KEY=x\nP="abc\nPW=abc#123\nX=${A}_x\n1NUM=x\nA=1\nA=2\nK = fine\n' }, code: 1,
    stdout: [/^\.env:1:1: error: dotenv ignores this line: the key `SPACE IN KEY` contains spaces$/m, /^\.env:2:3: error: unterminated " quote/m, /^\.env:3:7: warning: unquoted `#` starts a comment: the value is `abc`/m, /^\.env:4:3: warning: no variable expansion/m, /^\.env:5:1: warning: Heroku refuses the config var name `1NUM`/m, /^\.env:7:1: warning: `A` is set again \(first on line 6\)/m],
    notStdout: [/^\.env:8/m],
  },
  { name: '-p 80 is a usage error (exit 2): privileged ports are refused', files: { Procfile: OK }, args: ['-p', '80'], code: 2, stderr: [/^dyno: -p\/--port "80" is below 1024/m] },
  { name: 'a bad PORT in .env is reported (foreman would splice it into $PORT)', files: { Procfile: OK, '.env': 'PORT=oops\n' }, code: 1, stdout: [/^port: error: PORT in the env file "oops" is not a port number$/m] },
  { name: '--strict applies the Fir rules', files: { Procfile: 'web: a\nmy_worker: b\nworker-: c\n' }, args: ['--strict'], code: 1, stdout: [/^Procfile:2:1: warning: Procfile key my_worker has been corrected to my-worker/m, /^Procfile:3:1: error: Fir rejects the type name `worker-`/m] },
  { name: 'without --strict the same file is valid', files: { Procfile: 'web: a\nmy_worker: b\nworker-: c\n' }, code: 0, stdout: [/^valid Procfile: web, my_worker, worker- \(3 process types\)$/m] },
  { name: 'a .env tracked by git is a warning', files: { Procfile: OK, '.env': 'A=1\n' }, setup: [['git', 'init', '-q'], ['git', 'add', '.env']], code: 0, stdout: [/^\.env: warning: git tracks this env file: its secrets are in the repository\n {2}hint: git rm --cached \.env/m], skip: !hasGit && 'git not installed' },
  { name: 'an untracked .env in a git repo is fine', files: { Procfile: OK, '.env': 'A=1\n' }, setup: [['git', 'init', '-q']], code: 0, notStdout: [/git tracks/], skip: !hasGit && 'git not installed' },
  { name: 'without git on PATH the tracking check is skipped silently', files: { Procfile: OK, '.env': 'A=1\n' }, setup: [['git', 'init', '-q'], ['git', 'add', '.env']], env: { PATH: '/nonexistent' }, code: 0, notStdout: [/git tracks/], skip: !hasGit && 'git not installed' },
  { name: 'an unknown option is a usage error (exit 2)', files: { Procfile: OK }, args: ['--bogus'], code: 2, stderr: [/unknown option '--bogus'/] },
];

for (const row of rows) {
  test(`check: ${row.name}`, { skip: row.skip ?? false, timeout: 20_000 }, async () => {
    const app = tempApp(row.files);
    try {
      for (const [cmd, ...args] of row.setup ?? []) spawnSync(cmd!, args, { cwd: app.dir, stdio: 'ignore' });
      const { code, stdout, stderr } = await runDynoToEnd(['check', '-d', app.dir, ...(row.args ?? [])], { cwd: app.dir, env: row.env });
      const context = `\n--- stdout:\n${stdout.slice(0, 3000)}\n--- stderr:\n${stderr.slice(0, 3000)}`;
      assert.equal(code, row.code, context);
      for (const re of row.stdout ?? []) assert.match(stdout, re, context);
      for (const re of row.stderr ?? []) assert.match(stderr, re, context);
      for (const re of row.notStdout ?? []) assert.doesNotMatch(stdout, re, context);
      assert.ok(stdout.length < 100_000, 'output stays small');
      assert.doesNotMatch(stderr, /internal error|\n\s+at /, 'no stack trace');
      await assertNoSurvivors(path.basename(app.dir));
    } finally {
      app.cleanup();
    }
  });
}

test('check --json prints one object with every problem', { timeout: 20_000 }, async () => {
  const app = tempApp({ Procfile: 'web:npm start\nworker: w\n', '.env': 'BAD KEY=1\n' });
  try {
    const { code, stdout } = await runDynoToEnd(['check', '--json', '-d', app.dir], { cwd: app.dir });
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as { valid: boolean; types: Array<{ name: string }>; problems: Array<Record<string, unknown>> };
    assert.equal(report.valid, false);
    assert.deepEqual(report.types.map((t) => t.name), ['worker']);
    assert.deepEqual(report.problems.map((p) => [p.file, p.line, p.col, p.severity, p.code]), [
      ['Procfile', 1, 5, 'error', 'no-space-after-colon'],
      ['Procfile', 0, 0, 'warning', 'no-web'],
      ['.env', 1, 1, 'error', 'dropped-line'],
    ]);
    for (const p of report.problems) assert.equal(typeof p.message, 'string');
  } finally {
    app.cleanup();
  }
});

test('the example app is valid', { timeout: 20_000 }, async (t) => {
  const example = path.join(projectRoot, 'examples/app');
  if (!fs.existsSync(path.join(example, 'Procfile'))) return t.skip('examples/app has no Procfile yet');
  const { code, stdout } = await runDynoToEnd(['check', '-d', example]);
  assert.equal(code, 0, stdout);
  assert.match(stdout, /^valid Procfile: /m);
});
