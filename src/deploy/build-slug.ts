// `--slug`: build what `git push heroku main` would deploy — the committed tree at a commit, minus
// .slugignore, then the detected buildpack's steps — into a cache directory per commit, with the build
// log in Heroku's words (HEROKU-DEPLOY.md §2, §5). Dependencies are restored from the last build with
// the same lockfile (hard links), so a rebuild after a one-line change skips the install.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DynoError } from '../core/errors.js';
import { archiveTree, type Commit } from './git-commit.js';
import { detectBuildpack, PlanError, type BuildPlan, type DetectInput } from './detect-buildpack.js';
import { runBuildStep } from './run-build-step.js';
import { appCache, formatSize, linkTree, treeBytes, type AppCache } from './slug-cache.js';
import { parseSlugignore } from './slugignore.js';

export interface SlugBuildOptions {
  /** The working tree's app root (keys the cache). */
  root: string;
  commit: Commit;
  /** --build "<cmd>": instead of the buildpack. */
  custom?: string;
  /** Environment of the build steps (the app's config vars). */
  env: Record<string, string>;
  /** Each build log line, Heroku style (`-----> …`, 7-space indented output). */
  log(text: string): void;
  signal?: AbortSignal;
}

/** A built slug, ready to run. */
export interface Slug {
  commit: Commit;
  dir: string;
  sizeBytes: number;
  /** PATH entries for the dynos, absolute. */
  pathPrepend: string[];
  pathAppend: string[];
  /** Variables the buildpack sets for the dynos (BUNDLE_PATH, …). */
  env: Record<string, string>;
  /** True when an earlier build of this commit was reused as is. */
  reused: boolean;
}

interface SlugMeta {
  custom: string | null;
  plan: Pick<BuildPlan, 'pathPrepend' | 'pathAppend' | 'env' | 'language'>;
  sizeBytes: number;
}

/** Build (or reuse) the slug of `o.commit`. A failed build throws BUILD_FAILED with the step's status. */
export async function buildSlug(o: SlugBuildOptions): Promise<Slug> {
  const cache = appCache(o.root, o.env);
  const dir = cache.slugDir(o.commit.sha);
  const reused = readMeta(cache.metaFile(o.commit.sha));
  if (reused && reused.custom === (o.custom ?? null) && fs.existsSync(dir)) {
    o.log(`-----> Using the slug already built for ${o.commit.short} (${reused.plan.language}, ${formatSize(reused.sizeBytes)})`);
    return toSlug(o.commit, dir, reused, true);
  }
  const started = Date.now();
  fs.rmSync(cache.metaFile(o.commit.sha), { force: true });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  o.log(`Building source: ${o.commit.short} "${o.commit.subject}" (committed files only)`);
  await archiveTree(o.commit, dir);
  applySlugignore(dir, o.log);
  const plan = planFor(dir, o);
  o.log(plan.language === 'custom' ? '-----> Custom build (--build)' : `-----> ${plan.language} app detected`);
  await runPlan(plan, dir, cache, o);
  o.log('-----> Build succeeded!');
  o.log('-----> Discovering process types');
  o.log(`       Procfile declares types -> ${procfileTypes(dir)}`);
  const sizeBytes = await treeBytes(dir);
  o.log('-----> Compressing...');
  o.log(`       Done: ${formatSize(sizeBytes)} (uncompressed; built in ${formatMs(Date.now() - started)})`);
  if (sizeBytes > 300 * 1024 * 1024) o.log(` !     Warning: Your slug size (${formatSize(sizeBytes)} uncompressed) may exceed Heroku's soft limit (300 MB) or its limit (500 MB, compressed)`);
  const meta: SlugMeta = { custom: o.custom ?? null, plan: { pathPrepend: plan.pathPrepend, pathAppend: plan.pathAppend, env: plan.env, language: plan.language }, sizeBytes };
  fs.writeFileSync(cache.metaFile(o.commit.sha), JSON.stringify(meta));
  return toSlug(o.commit, dir, meta, false);
}

const formatMs = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

function readMeta(file: string): SlugMeta | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SlugMeta;
  } catch {
    return null;
  }
}

function toSlug(commit: Commit, dir: string, meta: SlugMeta, reused: boolean): Slug {
  const abs = (rels: string[]): string[] => rels.map((r) => path.join(dir, r));
  const env = meta.plan.language === 'Node.js' ? {} : meta.plan.env; // NODE_ENV etc. are build-time only
  return { commit, dir, sizeBytes: meta.sizeBytes, pathPrepend: abs(meta.plan.pathPrepend), pathAppend: abs(meta.plan.pathAppend), env, reused };
}

// Heroku removes what .slugignore lists before the buildpack runs.
function applySlugignore(dir: string, log: (t: string) => void): void {
  const file = path.join(dir, '.slugignore');
  if (!fs.existsSync(file)) return;
  const matches = parseSlugignore(fs.readFileSync(file, 'utf8'));
  let removed = 0;
  const visit = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (matches(child, e.isDirectory())) {
        fs.rmSync(path.join(dir, child), { recursive: true, force: true });
        removed++;
      } else if (e.isDirectory()) visit(child);
    }
  };
  visit('');
  if (removed) log(`       .slugignore: removed ${removed} path${removed === 1 ? '' : 's'}`);
}

// Detect; Heroku's up-front refusals become a failed build.
function planFor(dir: string, o: SlugBuildOptions): BuildPlan {
  const files = new Set(fs.readdirSync(dir));
  const input: DetectInput = { files, custom: o.custom };
  try {
    if (files.has('package.json')) input.pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as DetectInput['pkg'];
    if (files.has('requirements.txt')) input.noRequirements = !/^\s*[^#\s]/m.test(fs.readFileSync(path.join(dir, 'requirements.txt'), 'utf8'));
    return detectBuildpack(input);
  } catch (err) {
    const message = err instanceof PlanError ? err.message : `package.json does not parse: ${(err as Error).message}`;
    o.log(` !     ${message}`);
    throw new DynoError('BUILD_FAILED', `build of ${o.commit.short} failed: ${message}`, { hint: 'see the build output above' });
  }
}

// The buildpack's steps in Heroku's order; the first failing one fails the build.
async function runPlan(plan: BuildPlan, dir: string, cache: AppCache, o: SlugBuildOptions): Promise<void> {
  const env: Record<string, string> = { ...o.env, ...plan.env, npm_config_cache: cache.downloads('npm'), PIP_CACHE_DIR: cache.downloads('pip') };
  const step = async (command: string, label: string): Promise<void> => {
    const status = await runBuildStep({ command, cwd: dir, env, onLine: (t) => o.log(`       ${t}`), signal: o.signal });
    if (status === 0) return;
    if (o.signal?.aborted) throw new DynoError('BUILD_FAILED', `build of ${o.commit.short} interrupted; nothing was started`, { exitCode: 130 });
    o.log(` !     ${label} failed: \`${command}\` exited with status ${status}`);
    throw new DynoError('BUILD_FAILED', `build of ${o.commit.short} failed: \`${command}\` exited with status ${status}; nothing was started`, { exitCode: status, hint: 'see the build output above' });
  };
  if (Object.keys(plan.env).length) {
    o.log('-----> Creating runtime environment');
    for (const [k, v] of Object.entries(plan.env)) o.log(`       ${k}=${v}`);
  }
  if (plan.language === 'Node.js') {
    o.log('-----> Installing binaries');
    o.log(`       engines.node (package.json):   ${nodeEngine(dir) ?? 'unspecified'}`);
    o.log(`       Using the local node ${process.version} (Heroku would download the version engines.node names)`);
  }
  const key = plan.lockfile && plan.cachedDir ? depsKey(dir, plan) : undefined;
  const restored = key ? await restoreDeps(plan, dir, cache, key, o.log) : false;
  o.log('-----> Installing dependencies');
  if (plan.prebuild) await step(plan.prebuild, 'heroku-prebuild');
  if (plan.install && !restored) await step(plan.install, plan.language === 'custom' ? 'The build' : 'Installing dependencies');
  else if (plan.install) o.log(`       Installing dependencies: skipped, ${plan.cachedDir} restored for an unchanged ${plan.lockfile}`);
  o.log('-----> Build');
  if (plan.build) {
    o.log(`       Running ${plan.build.name}`);
    await step(plan.build.command, plan.build.name);
  }
  if (key && !restored) await saveDeps(plan, dir, cache, key, o.log);
  if (plan.prune) {
    o.log('-----> Pruning devDependencies');
    await step(plan.prune, 'Pruning devDependencies');
  }
  if (plan.cleanup) await step(plan.cleanup, 'heroku-cleanup');
}

function nodeEngine(dir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node;
  } catch {
    return undefined;
  }
}

// The dependency cache key: lockfile + package.json + the runtime and build command.
function depsKey(dir: string, plan: BuildPlan): string {
  const h = createHash('sha1').update(`${process.version}\n${plan.install}\n`);
  for (const f of new Set([plan.lockfile!, 'package.json'])) h.update(fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f)) : '');
  return h.digest('hex').slice(0, 16);
}

async function restoreDeps(plan: BuildPlan, dir: string, cache: AppCache, key: string, log: (t: string) => void): Promise<boolean> {
  log('-----> Restoring cache');
  const saved = path.join(cache.depsDir(key), plan.cachedDir!);
  if (!fs.existsSync(saved)) {
    log(`       Cached directories were not restored: no earlier build with this ${plan.lockfile}`);
    return false;
  }
  await linkTree(saved, path.join(dir, plan.cachedDir!));
  log(`       - ${plan.cachedDir} (${plan.lockfile} unchanged)`);
  return true;
}

// Keep this build's dependencies (before pruning) for the next build; older keys are dropped.
async function saveDeps(plan: BuildPlan, dir: string, cache: AppCache, key: string, log: (t: string) => void): Promise<void> {
  const from = path.join(dir, plan.cachedDir!);
  fs.mkdirSync(from, { recursive: true }); // no dependencies: cache that too, the next build skips the install
  log('-----> Caching build');
  const parent = path.dirname(cache.depsDir(key));
  for (const old of fs.existsSync(parent) ? fs.readdirSync(parent) : []) fs.rmSync(path.join(parent, old), { recursive: true, force: true });
  await linkTree(from, path.join(cache.depsDir(key), plan.cachedDir!));
  log(`       - ${plan.cachedDir}`);
  if (plan.language === 'Node.js') log('       - npm cache');
}

// `web, worker` from the slug's Procfile (names only; the full parse happens when it is loaded).
function procfileTypes(dir: string): string {
  let text = '';
  try {
    text = fs.readFileSync(path.join(dir, 'Procfile'), 'utf8');
  } catch {
    return '(none)';
  }
  const names = text.split('\n').map((l) => /^([A-Za-z0-9_-]+):/.exec(l)?.[1]).filter(Boolean);
  return names.length ? names.join(', ') : '(none)';
}
