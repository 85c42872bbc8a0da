import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DynoError, type ErrorCode } from '../../../src/core/errors.js';
import { loadApp, type LoadAppOptions } from '../../../src/app/load-app.js';
import { tempApp } from '../../helpers/temp-app.js';

const PROCFILE = 'web: node web.js\nworker: node worker.js\n';

// Each row builds a temp app, loads it, and checks the result or the DynoError code.
const rows: Array<{ name: string; files: Record<string, string | Buffer>; options?: Partial<LoadAppOptions>; cwd?: string; error?: ErrorCode; check?: (app: ReturnType<typeof loadApp>, dir: string) => void }> = [
  {
    name: 'loads types and the default .env', files: { Procfile: PROCFILE, '.env': 'A=1\n' },
    check: (app, dir) => {
      assert.deepEqual(app.types.map((t) => t.name), ['web', 'worker']);
      assert.deepEqual(app.fileEnv, { A: '1' });
      assert.deepEqual(app.envFiles, [path.join(dir, '.env')]);
      assert.equal(app.root, dir);
      assert.equal(app.procfilePath, path.join(dir, 'Procfile'));
    },
  },
  { name: 'a missing default .env is fine', files: { Procfile: PROCFILE }, check: (app) => assert.deepEqual(app.envFiles, []) },
  { name: 'env files win over the shell, a later file over an earlier one', files: { Procfile: PROCFILE, 'a.env': 'A=a\nB=a', 'b.env': 'B=b' }, options: { envFiles: ['a.env,b.env'], shellEnv: { A: 'shell', C: 'shell' } }, check: (app) => assert.deepEqual(app.env, { A: 'a', B: 'b', C: 'shell' }) },
  { name: '-e accepts repeats and comma lists', files: { Procfile: PROCFILE, 'a.env': 'A=1', 'b.env': 'B=2', 'c.env': 'C=3' }, options: { envFiles: ['a.env,b.env', 'c.env'] }, check: (app) => assert.deepEqual(app.fileEnv, { A: '1', B: '2', C: '3' }) },
  { name: '§7 heroku local runs without a mistyped -e file → ENV_NOT_FOUND', files: { Procfile: PROCFILE }, options: { envFiles: ['.env.tset'] }, error: 'ENV_NOT_FOUND' },
  { name: 'an env file that is a directory → ENV_NOT_FOUND', files: { Procfile: PROCFILE, 'envdir/x': '' }, options: { envFiles: ['envdir'] }, error: 'ENV_NOT_FOUND' },
  { name: 'an env file with NUL bytes → ENV_SYNTAX', files: { Procfile: PROCFILE, '.env': Buffer.from('A=1\0\n') }, error: 'ENV_SYNTAX' },
  { name: 'a UTF-16 env file → ENV_SYNTAX', files: { Procfile: PROCFILE, '.env': Buffer.from('\ufeffA=1', 'utf16le') }, error: 'ENV_SYNTAX' },
  { name: 'a missing Procfile → PROCFILE_NOT_FOUND', files: {}, error: 'PROCFILE_NOT_FOUND' },
  { name: 'a directory given as Procfile → PROCFILE_NOT_FOUND', files: { 'Procfile/x': '' }, error: 'PROCFILE_NOT_FOUND' },
  { name: 'a binary Procfile → PROCFILE_SYNTAX', files: { Procfile: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]) }, error: 'PROCFILE_SYNTAX' },
  { name: 'an empty Procfile → PROCFILE_SYNTAX', files: { Procfile: '' }, error: 'PROCFILE_SYNTAX' },
  { name: '§7 nf falls back to `web: npm start` on a syntax error; we refuse → PROCFILE_SYNTAX', files: { Procfile: 'web:npm start\n' }, error: 'PROCFILE_SYNTAX' },
  { name: 'duplicate types → DUPLICATE_TYPE', files: { Procfile: 'web: a\nweb: b\n' }, error: 'DUPLICATE_TYPE' },
  { name: 'Procfile warnings stay in problems', files: { Procfile: 'worker: w\n' }, check: (app) => assert.deepEqual(app.problems.map((p) => p.code), ['no-web']) },
  { name: 'collect keeps Procfile errors instead of throwing', files: { Procfile: 'web:npm start\n' }, options: { collect: true }, check: (app) => assert.deepEqual(app.problems.map((p) => p.code), ['no-space-after-colon', 'no-types']) },
  { name: 'collect keeps a binary env file as a problem', files: { Procfile: PROCFILE, '.env': Buffer.from('\0') }, options: { collect: true }, check: (app) => assert.deepEqual(app.problems.map((p) => p.code), ['binary']) },
  { name: 'env file problems carry the file name as given', files: { Procfile: PROCFILE, 'conf/dev.env': 'BAD KEY=1' }, options: { envFiles: ['conf/dev.env'] }, check: (app) => assert.deepEqual(app.problems.map((p) => `${p.file}:${p.code}`), [`${path.join('conf', 'dev.env')}:dropped-line`]) },
  { name: 'strict adds the Fir lint', files: { Procfile: 'web: a\nmy_worker: b\n' }, options: { strict: true }, check: (app) => assert.deepEqual(app.problems.map((p) => p.code), ['strict-key-corrected']) },
  { name: 'config vars over 64 KB → warning', files: { Procfile: PROCFILE, '.env': `BIG=${'x'.repeat(70_000)}` }, check: (app) => assert.deepEqual(app.problems.map((p) => p.code), ['config-too-large']) },
  {
    name: '-f alone: the root is the Procfile directory, .env is read there', files: { 'sub/Procfile.dev': PROCFILE, 'sub/.env': 'A=sub', '.env': 'A=top' }, options: { procfile: 'sub/Procfile.dev' },
    check: (app, dir) => { assert.equal(app.root, path.join(dir, 'sub')); assert.deepEqual(app.fileEnv, { A: 'sub' }); },
  },
  {
    name: '-d with -f: the Procfile is relative to the root', files: { 'app/Procfile.dev': PROCFILE, 'app/.env': 'A=app' }, options: { root: 'app', procfile: 'Procfile.dev' },
    check: (app, dir) => { assert.equal(app.procfilePath, path.join(dir, 'app', 'Procfile.dev')); assert.deepEqual(app.fileEnv, { A: 'app' }); },
  },
  { name: 'the shell env is passed in, not read from process.env', files: { Procfile: PROCFILE }, options: { shellEnv: { ONLY: 'this' } }, check: (app) => assert.deepEqual(app.env, { ONLY: 'this' }) },
];

for (const row of rows) {
  test(row.name, () => {
    const app = tempApp(row.files);
    try {
      const run = () => loadApp({ cwd: app.dir, shellEnv: {}, ...row.options });
      if (row.error) {
        assert.throws(run, (err: unknown) => err instanceof DynoError && err.code === row.error && err.exitCode === 2);
      } else {
        row.check!(run(), app.dir);
      }
    } finally {
      app.cleanup();
    }
  });
}

test('Procfile errors are thrown formatted, naming the file and line, with a hint', () => {
  const app = tempApp({ Procfile: 'web: a\nweb.api: b\n' });
  try {
    assert.throws(() => loadApp({ cwd: app.dir, shellEnv: {} }), (err: DynoError) => err.message.includes('Procfile:2:4: error:') && err.hint === 'run `dyno check` to see every problem');
  } finally {
    app.cleanup();
  }
});

test('a missing Procfile error names the path and suggests -f', () => {
  const app = tempApp({});
  try {
    assert.throws(() => loadApp({ cwd: app.dir, shellEnv: {}, procfile: 'Procfile.dev' }), (err: DynoError) => err.message === 'Procfile not found: Procfile.dev' && /-f/.test(err.hint ?? ''));
  } finally {
    app.cleanup();
  }
});

test('issue 15: no Procfile but a Procfile.dev → the error says to use -f Procfile.dev', () => {
  const app = tempApp({ 'Procfile.dev': 'web: bin/rails s\n' });
  try {
    assert.throws(() => loadApp({ cwd: app.dir, shellEnv: {} }), (err: DynoError) => err.code === 'PROCFILE_NOT_FOUND' && err.message === 'Procfile not found: Procfile; there is a Procfile.dev: use -f Procfile.dev');
    assert.equal(loadApp({ cwd: app.dir, shellEnv: {}, procfile: 'Procfile.dev' }).types[0]!.name, 'web');
  } finally {
    app.cleanup();
  }
});
