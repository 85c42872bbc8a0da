import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectBuildpack, PlanError, type DetectInput } from '../../../src/deploy/detect-buildpack.js';

const files = (...names: string[]): Set<string> => new Set(names);

const rows: Array<[string, DetectInput, Record<string, unknown>]> = [
  ['package-lock.json: npm ci, devDependencies included', { files: files('package.json', 'package-lock.json') }, { language: 'Node.js', install: 'npm ci --include=dev', lockfile: 'package-lock.json' }],
  ['no lockfile: npm install', { files: files('package.json') }, { install: 'npm install --include=dev', lockfile: 'package.json' }],
  ['yarn.lock: yarn 1 frozen', { files: files('package.json', 'yarn.lock') }, { install: 'yarn install --frozen-lockfile --production=false' }],
  ['yarn berry: immutable', { files: files('package.json', 'yarn.lock'), pkg: { packageManager: 'yarn@4.1.0' } }, { install: 'yarn install --immutable' }],
  ['pnpm-lock.yaml: pnpm frozen', { files: files('package.json', 'pnpm-lock.yaml') }, { install: 'pnpm install --frozen-lockfile --prod=false' }],
  ['heroku-postbuild wins over build', { files: files('package.json'), pkg: { scripts: { build: 'tsc', 'heroku-postbuild': 'make' } } }, { build: { name: 'heroku-postbuild', command: 'npm run heroku-postbuild' } }],
  ['build script runs', { files: files('package.json'), pkg: { scripts: { build: 'tsc' } } }, { build: { name: 'build', command: 'npm run build' } }],
  ['heroku-prebuild runs before install', { files: files('package.json'), pkg: { scripts: { 'heroku-prebuild': 'x' } } }, { prebuild: 'npm run heroku-prebuild' }],
  ['devDependencies are pruned', { files: files('package.json', 'package-lock.json'), pkg: { devDependencies: { tsx: '1' } } }, { prune: 'npm prune --omit=dev' }],
  ['Ruby wins over Node.js', { files: files('Gemfile', 'Gemfile.lock', 'package.json') }, { language: 'Ruby', install: 'bundle install -j4' }],
  ['Python: a virtualenv and pip', { files: files('requirements.txt') }, { language: 'Python', pathPrepend: ['.heroku/python/bin'], install: 'python3 -m venv .heroku/python && .heroku/python/bin/pip install --disable-pip-version-check -r requirements.txt' }],
  ['Python without requirements: a virtualenv, no pip', { files: files('requirements.txt'), noRequirements: true }, { install: 'python3 -m venv --without-pip .heroku/python' }],
  ['--build replaces detection', { files: files('package.json'), custom: 'make slug' }, { language: 'custom', install: 'make slug' }],
];
for (const [name, input, expected] of rows) {
  test(`buildpack: ${name}`, () => {
    const plan = detectBuildpack(input) as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(expected)) assert.deepEqual(plan[k], v, k);
  });
}

const refusals: Array<[string, DetectInput, RegExp]> = [
  ['two lockfiles fail as on Heroku', { files: files('package.json', 'package-lock.json', 'yarn.lock') }, /^Multiple lockfiles found: package-lock\.json, yarn\.lock/],
  ['a Gemfile without Gemfile.lock fails', { files: files('Gemfile') }, /^Gemfile\.lock required\. Please check it in\.$/],
  ['nothing to detect fails', { files: files('Procfile', 'run.sh') }, /^No default language could be detected/],
];
for (const [name, input, re] of refusals) {
  test(`buildpack: ${name}`, () => assert.throws(() => detectBuildpack(input), (err: unknown) => err instanceof PlanError && re.test(err.message)));
}
