// `dyno check --slug`: what the slug a push builds from HEAD would lack or carry (issue 14): a Procfile
// program not committed (or git-ignored), no lockfile or one out of date with package.json, a committed
// .env, a slug over Heroku's size limits (HEROKU-DEPLOY.md §5).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { App } from '../app/load-app.js';
import type { Problem } from '../app/problem.js';
import { DynoError } from '../core/errors.js';
import { git, readCommit, type Commit } from './git-commit.js';
import { procfileProgram } from './procfile-program.js';
import { formatSize } from './slug-cache.js';

const MB = 1024 * 1024;
type Tree = Map<string, number>;

const problem = (file: string, line: number, severity: Problem['severity'], code: string, message: string, hint?: string): Problem => ({ file, line, col: line > 0 ? 1 : 0, severity, code, message, hint });

/** Every problem the slug of HEAD would have; git missing or no commit is one problem too. */
export function checkSlug(app: App): Problem[] {
  let commit: Commit;
  try {
    commit = readCommit(app.root);
  } catch (err) {
    if (!(err instanceof DynoError)) throw err;
    return [problem('.', 0, 'error', 'slug-no-commit', err.message, err.hint)];
  }
  const tree = readTree(commit);
  const pkg = parseJson(show(commit, 'package.json'));
  return [...programProblems(app, commit, tree, pkg), ...lockfileProblems(commit, tree, pkg), ...envProblems(tree, commit), ...sizeProblems(app, tree)];
}

// Blob path (relative to the app root) → size, at the commit.
function readTree(commit: Commit): Tree {
  const treeish = commit.prefix ? `${commit.sha}:${commit.prefix}` : commit.sha;
  const out = git(commit.toplevel, ['ls-tree', '-r', '-l', '-z', treeish]) ?? '';
  const tree: Tree = new Map();
  for (const entry of out.split('\0')) {
    const m = /^\S+ (\S+) \S+ +(\S+)\t(.*)$/s.exec(entry);
    if (m && m[1] === 'blob') tree.set(m[3]!, Number(m[2]) || 0);
  }
  return tree;
}

const show = (commit: Commit, rel: string): string | null => git(commit.toplevel, ['show', `${commit.sha}:${commit.prefix ? `${commit.prefix}/` : ''}${rel}`]);

function parseJson(text: string | null): Record<string, unknown> | null {
  try {
    return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    return null;
  }
}

const inTree = (tree: Tree, rel: string): boolean => tree.has(rel) || [...tree.keys()].some((k) => k.startsWith(`${rel}/`));

// Each Procfile command's program must be in the commit, or be made by the build.
function programProblems(app: App, commit: Commit, tree: Tree, pkg: Record<string, unknown> | null): Problem[] {
  const procfile = path.relative(app.root, app.procfilePath);
  if (!tree.has(procfile)) return [problem(procfile, 0, 'error', 'slug-procfile', `${procfile} is not in ${commit.short}: a push would deploy no process types`, `git add ${procfile} && git commit`)];
  const scripts = (pkg?.scripts ?? {}) as Record<string, string>;
  const build = scripts['heroku-postbuild'] !== undefined ? 'heroku-postbuild' : scripts.build !== undefined ? 'build' : undefined;
  const out: Problem[] = [];
  for (const type of app.types) {
    const program = procfileProgram(type.command);
    if (!program || program.startsWith('..') || inTree(tree, path.posix.normalize(program))) continue;
    const ignored = spawnSync('git', ['-C', app.root, 'check-ignore', '-q', '--', program]).status === 0;
    const why = ignored ? 'is git-ignored' : 'is not committed';
    if (build) {
      out.push(problem(procfile, type.line, 'warning', 'slug-program', `${type.name} runs ${program}, which ${why}: it must be made by the build (\`npm run ${build}\`)`, 'dyno start --slug shows whether it is'));
    } else {
      out.push(problem(procfile, type.line, 'error', 'slug-program', `${type.name} runs ${program}, which ${why} in ${commit.short}: a push would not deploy it`, ignored ? `remove it from .gitignore, or build it in a "heroku-postbuild" script` : `git add ${program} && git commit`));
    }
  }
  return out;
}

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'];

// package.json needs a committed lockfile that lists exactly its dependencies (npm ci fails otherwise).
function lockfileProblems(commit: Commit, tree: Tree, pkg: Record<string, unknown> | null): Problem[] {
  if (!tree.has('package.json')) return [];
  if (!pkg) return [problem('package.json', 0, 'error', 'slug-package-json', `package.json in ${commit.short} does not parse: Heroku fails the build`)];
  const locks = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'].filter((f) => tree.has(f));
  if (locks.length > 1) return [problem(locks[1]!, 0, 'error', 'slug-lockfiles', `multiple lockfiles in ${commit.short} (${locks.join(', ')}): Heroku fails the build`, 'delete the one your package manager does not use')];
  if (!locks.length) return [problem('package.json', 0, 'warning', 'slug-no-lockfile', `no lockfile in ${commit.short}: Heroku runs \`npm install\` and resolves new versions on every deploy`, 'npm install && git add package-lock.json && git commit')];
  const wanted = Object.assign({}, ...DEP_FIELDS.map((f) => (pkg[f] ?? {}) as Record<string, string>)) as Record<string, string>;
  const lock = locks[0]!;
  const text = show(commit, lock) ?? '';
  let stale: string[];
  if (lock === 'yarn.lock') stale = Object.entries(wanted).filter(([n, r]) => !text.includes(`${n}@${r}`)).map(([n]) => n);
  else if (lock === 'pnpm-lock.yaml') stale = Object.keys(wanted).filter((n) => !text.includes(n));
  else {
    const root = ((parseJson(text)?.packages ?? {}) as Record<string, Record<string, Record<string, string>>>)[''] ?? {};
    const locked = Object.assign({}, ...DEP_FIELDS.map((f) => root[f] ?? {})) as Record<string, string>;
    stale = [...new Set([...Object.keys(wanted), ...Object.keys(locked)])].filter((n) => wanted[n] !== locked[n]);
  }
  if (!stale.length) return [];
  return [problem(lock, 0, 'error', 'slug-lockfile-stale', `${lock} in ${commit.short} is out of date with package.json (${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', …' : ''}): \`npm ci\` fails the build`, `run your package manager's install and commit ${lock}`)];
}

// A committed .env goes into the slug (Heroku never reads it: config vars replace it).
function envProblems(tree: Tree, commit: Commit): Problem[] {
  return [...tree.keys()]
    .filter((f) => /^\.env(\..+)?$/.test(f) && !/example|sample|template/i.test(f))
    .map((f) => problem(f, 0, 'warning', 'slug-env', `${f} is in ${commit.short}: a push puts its secrets in the slug, and Heroku ignores it (set config vars instead)`, `git rm --cached ${f} && echo ${f} >> .gitignore`));
}

// Checkout ≤ 1 GB; slug ≤ 500 MB compressed, soft limit 300 MB. The estimate: committed files + node_modules.
function sizeProblems(app: App, tree: Tree): Problem[] {
  const checkout = [...tree.values()].reduce((a, b) => a + b, 0);
  if (checkout > 1024 * MB) return [problem('.', 0, 'error', 'slug-checkout-size', `the checkout of HEAD is ${formatSize(checkout)}: Heroku refuses more than 1 GB`)];
  const du = spawnSync('du', ['-sb', path.join(app.root, 'node_modules')], { encoding: 'utf8' });
  const deps = du.status === 0 ? Number(du.stdout.split('\t')[0]) || 0 : 0;
  const total = checkout + deps;
  const what = `${formatSize(total)} uncompressed (committed files ${formatSize(checkout)}${deps ? ` + node_modules ${formatSize(deps)}` : ''})`;
  if (total > 500 * MB) return [problem('.', 0, 'warning', 'slug-size', `the slug would be about ${what}: Heroku's limit is 500 MB compressed`, 'list big files that the app does not need at runtime in .slugignore')];
  if (total > 300 * MB) return [problem('.', 0, 'warning', 'slug-size', `the slug would be about ${what}: over Heroku's soft limit (300 MB), boots get slower`)];
  return [];
}
