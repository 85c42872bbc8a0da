// Which classic buildpack Heroku would pick, and what it would run (HEROKU-DEPLOY.md §1–§4). Pure:
// the root's file names and package.json in, a plan out. Ruby wins over Node.js, Node.js over Python.

/** The steps of one buildpack; commands are shell strings run in the slug directory. */
export interface BuildPlan {
  /** `Node.js`, `Python`, `Ruby`, or `custom` (--build). */
  language: string;
  /** `package-lock.json`, `Gemfile.lock`, …: the file whose content keys the dependency cache. */
  lockfile?: string;
  /** The directory the dependency cache restores (`node_modules`, `vendor/bundle`). */
  cachedDir?: string;
  /** Runs before the install (`npm run heroku-prebuild`). */
  prebuild?: string;
  install?: string;
  /** The build script, with its name for the log (`build` or `heroku-postbuild`). */
  build?: { name: string; command: string };
  /** Drops devDependencies after the build. */
  prune?: string;
  cleanup?: string;
  /** Lines for the `Creating runtime environment` step. */
  env: Record<string, string>;
  /** Where the app's executables live, put on the dynos' PATH (relative to the slug). */
  pathPrepend: string[];
  pathAppend: string[];
}

/** A reason Heroku would refuse the build before running anything. */
export class PlanError extends Error {}

/** What detectBuildpack reads. */
export interface DetectInput {
  files: Set<string>;
  /** package.json parsed, when it exists and parses (a parse failure is a PlanError). */
  pkg?: { scripts?: Record<string, string>; devDependencies?: Record<string, string>; packageManager?: string };
  /** --build: replaces detection. */
  custom?: string;
  /** requirements.txt lists nothing (a virtualenv without pip is enough, and needs no network). */
  noRequirements?: boolean;
}

const NODE_ENV = { NPM_CONFIG_LOGLEVEL: 'error', NODE_VERBOSE: 'false', NODE_ENV: 'production', NODE_MODULES_CACHE: 'true' };

/** The plan for this tree. Throws PlanError when Heroku would fail it up front. */
export function detectBuildpack(input: DetectInput): BuildPlan {
  const { files } = input;
  if (input.custom !== undefined) return { language: 'custom', install: input.custom, env: {}, pathPrepend: [], pathAppend: ['bin'] };
  if (files.has('Gemfile')) return planRuby(files);
  if (files.has('package.json')) return planNode(input);
  if (['requirements.txt', 'pyproject.toml', 'setup.py'].some((f) => files.has(f))) return planPython(files, input.noRequirements === true);
  throw new PlanError('No default language could be detected for this app (no Gemfile, package.json or requirements.txt at the root)');
}

// heroku/nodejs: the lockfile picks the package manager and its frozen install (NBP lib/package_manager.sh).
function planNode(input: DetectInput): BuildPlan {
  const locks = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'].filter((f) => input.files.has(f));
  if (locks.length > 1) throw new PlanError(`Multiple lockfiles found: ${locks.join(', ')} (Heroku fails the build; keep the one of your package manager)`);
  const lock = locks[0];
  const scripts = input.pkg?.scripts ?? {};
  const pm = lock === 'yarn.lock' ? 'yarn' : lock === 'pnpm-lock.yaml' ? 'pnpm' : 'npm';
  const berry = pm === 'yarn' && /^yarn@[2-9]/.test(input.pkg?.packageManager ?? '');
  const install =
    pm === 'yarn' ? (berry ? 'yarn install --immutable' : 'yarn install --frozen-lockfile --production=false')
    : pm === 'pnpm' ? 'pnpm install --frozen-lockfile --prod=false'
    : lock ? 'npm ci --include=dev' : 'npm install --include=dev';
  const run = (name: string): string => `${pm} run ${name}`;
  const buildName = scripts['heroku-postbuild'] !== undefined ? 'heroku-postbuild' : scripts.build !== undefined ? 'build' : undefined;
  const hasDev = Object.keys(input.pkg?.devDependencies ?? {}).length > 0;
  const prune = !hasDev ? undefined : pm === 'npm' ? 'npm prune --omit=dev' : pm === 'pnpm' ? 'pnpm prune --prod' : berry ? undefined : 'yarn install --production --frozen-lockfile --ignore-scripts --prefer-offline';
  return {
    language: 'Node.js',
    lockfile: lock ?? 'package.json',
    cachedDir: 'node_modules',
    prebuild: scripts['heroku-prebuild'] !== undefined ? run('heroku-prebuild') : undefined,
    install,
    build: buildName ? { name: buildName, command: run(buildName) } : undefined,
    prune,
    cleanup: scripts['heroku-cleanup'] !== undefined ? run('heroku-cleanup') : undefined,
    env: NODE_ENV,
    pathPrepend: [],
    pathAppend: ['bin', 'node_modules/.bin'],
  };
}

// heroku/python installs into .heroku/python; here that is a virtualenv made with the local python3.
function planPython(files: Set<string>, noRequirements: boolean): BuildPlan {
  const req = files.has('requirements.txt');
  const pip = `.heroku/python/bin/pip install --disable-pip-version-check ${req ? '-r requirements.txt' : '.'}`;
  return {
    language: 'Python',
    lockfile: req ? 'requirements.txt' : 'pyproject.toml',
    install: req && noRequirements ? 'python3 -m venv --without-pip .heroku/python' : `python3 -m venv .heroku/python && ${pip}`,
    env: {},
    pathPrepend: ['.heroku/python/bin'],
    pathAppend: ['bin'],
  };
}

// heroku/ruby: Gemfile.lock required, then bundle install into vendor/bundle without dev/test.
function planRuby(files: Set<string>): BuildPlan {
  if (!files.has('Gemfile.lock')) throw new PlanError('Gemfile.lock required. Please check it in.');
  const env = { BUNDLE_WITHOUT: 'development:test', BUNDLE_PATH: 'vendor/bundle', BUNDLE_BIN: 'vendor/bundle/bin', BUNDLE_DEPLOYMENT: '1' };
  return { language: 'Ruby', lockfile: 'Gemfile.lock', cachedDir: 'vendor/bundle', install: 'bundle install -j4', env, pathPrepend: ['bin', 'vendor/bundle/bin'], pathAppend: [] };
}
