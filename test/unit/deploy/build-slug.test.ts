// buildSlug against real git repos: only committed files, .slugignore applied, dependencies restored
// from the cache when the lockfile is unchanged (the install is skipped), the per-commit slug reused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildSlug } from '../../../src/deploy/build-slug.js';
import { readCommit } from '../../../src/deploy/git-commit.js';
import { gitApp, nodeAppFiles } from '../../helpers/git-app.js';

test('a slug holds the committed files minus .slugignore; a rebuild after a one-line change restores node_modules and skips npm ci', async () => {
  const files = { ...nodeAppFiles('m'), '.slugignore': '*.psd\n/docs\n', 'art/logo.psd': 'x', 'docs/guide.md': 'x', 'lib/docs.js': 'kept' };
  const app = gitApp(files, { 'local.txt': 'untracked', 'node_modules/x/index.js': 'ignored' });
  const env = { ...(process.env as Record<string, string>), XDG_CACHE_HOME: app.cache };
  try {
    const log1: string[] = [];
    const slug = await buildSlug({ root: app.dir, commit: readCommit(app.dir), env, log: (t) => log1.push(t) });
    const listed = fs.readdirSync(slug.dir).sort();
    assert.deepEqual(listed, ['.gitignore', '.slugignore', 'Procfile', 'art', 'build.js', 'built.txt', 'lib', 'message.js', 'node_modules', 'package-lock.json', 'package.json', 'server.js']);
    assert.deepEqual(fs.readdirSync(path.join(slug.dir, 'art')), [], 'the .psd is removed');
    assert.equal(fs.readFileSync(path.join(slug.dir, 'lib/docs.js'), 'utf8'), 'kept', '/docs is anchored');
    assert.deepEqual(fs.readdirSync(path.join(slug.dir, 'node_modules')), [], 'the working tree node_modules never reaches the slug');
    assert.ok(log1.includes('-----> Node.js app detected'), log1.join('\n'));
    assert.ok(log1.includes('       Cached directories were not restored: no earlier build with this package-lock.json'));
    assert.ok(log1.some((l) => /^       Done: \d+K \(uncompressed; built in [\d.]+ m?s\)$/.test(l)), log1.join('\n'));

    app.commit({ 'message.js': "module.exports = 'v2';\n" });
    const log2: string[] = [];
    const slug2 = await buildSlug({ root: app.dir, commit: readCommit(app.dir), env, log: (t) => log2.push(t) });
    assert.notEqual(slug2.dir, slug.dir);
    assert.ok(log2.includes('       - node_modules (package-lock.json unchanged)'), log2.join('\n'));
    assert.ok(log2.includes('       Installing dependencies: skipped, node_modules restored for an unchanged package-lock.json'));
    assert.equal(fs.readFileSync(path.join(slug2.dir, 'message.js'), 'utf8'), "module.exports = 'v2';\n");

    const log3: string[] = [];
    const again = await buildSlug({ root: app.dir, commit: readCommit(app.dir), env, log: (t) => log3.push(t) });
    assert.equal(again.reused, true);
    assert.match(log3[0]!, /^-----> Using the slug already built for [0-9a-f]{7} \(Node\.js, \d+K\)$/);
  } finally {
    app.cleanup();
  }
});

test('--build replaces the buildpack; a Python app gets a virtualenv on the dynos PATH', async () => {
  const app = gitApp({ Procfile: 'web: python3 app.py\n', 'requirements.txt': '', 'app.py': 'print(1)\n' });
  const env = { ...(process.env as Record<string, string>), XDG_CACHE_HOME: app.cache };
  try {
    const log: string[] = [];
    const custom = await buildSlug({ root: app.dir, commit: readCommit(app.dir), env, custom: 'echo made > made.txt', log: (t) => log.push(t) });
    assert.ok(log.includes('-----> Custom build (--build)'), log.join('\n'));
    assert.equal(fs.readFileSync(path.join(custom.dir, 'made.txt'), 'utf8'), 'made\n');

    app.commit({ 'app.py': 'print(2)\n' });
    const py: string[] = [];
    const slug = await buildSlug({ root: app.dir, commit: readCommit(app.dir), env, log: (t) => py.push(t) });
    assert.ok(py.includes('-----> Python app detected'), py.join('\n'));
    assert.ok(fs.existsSync(path.join(slug.dir, '.heroku/python/bin/python3')));
    assert.deepEqual(slug.pathPrepend, [path.join(slug.dir, '.heroku/python/bin')]);
  } finally {
    app.cleanup();
  }
});
