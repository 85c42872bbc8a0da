// `dyno check`: validate the Procfile, env files and formation; report every problem at once.
// Exit 0 without errors (warnings allowed), 1 with errors, 2 on usage errors (a bad formation token or -p).
import type { spawnSync as SpawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { buildCheckReport, formatCheckReport } from '../../app/check-report.js';
import { resolveBasePort } from '../../app/dyno-specs.js';
import { parseFormation, parseMaxDynos } from '../../app/formation.js';
import { loadApp } from '../../app/load-app.js';
import type { Problem } from '../../app/problem.js';
import { ExitRequest } from '../../core/errors.js';
import { addAppOptions, addFormationOption, toLoadAppOptions, type AppOptions } from '../options.js';
import { addExitPolicyOptions, resolveExitPolicies } from '../exit-policy-options.js';
import { applyForemanDefaults } from '../foreman-defaults.js';
import { writeStdout } from '../write-stdout.js';
import type { ExitPolicyFlags } from '../../supervisor/exit-policy.js';

interface CheckOptions extends AppOptions, ExitPolicyFlags {
  formation?: string[];
  strict?: boolean;
  json?: boolean;
  /** --slug: also check what a push would deploy from HEAD. */
  slug?: boolean;
  maxDynos?: string;
}

// `dyno check [formation...] [-d dir] [-f Procfile] [-e files] [-m formation] [-p port] [--strict] [--json]`.
export function registerCheck(program: Command): void {
  const cmd = program
    .command('check')
    .description('validate the Procfile, env files and formation as Heroku would read them')
    .argument('[formation...]', 'formation, e.g. `web=2 worker` or `web=2,worker=1`');
  addAppOptions(cmd);
  addExitPolicyOptions(addFormationOption(cmd));
  cmd
    .option('--strict', "also apply Heroku's CNB (Fir) Procfile rules")
    .option('--json', 'print one JSON object { valid, types, problems, … }')
    .option('--slug', 'also check the slug a push would build from HEAD: programs not committed, lockfile, committed .env, size')
    .option('--max-dynos <n>', "the dyno limit to check against (default: Heroku's 100)")
    .action((tokens: string[], opts: CheckOptions) => runCheck(tokens, opts));
}

// Flag errors (a bad formation token or -p) are usage errors, exit 2; what depends on the files is reported.
async function runCheck(tokens: string[], opts: CheckOptions): Promise<void> {
  applyForemanDefaults(opts, { cwd: process.cwd(), givenByUser: () => false, hasFormationArgs: tokens.length > 0 });
  const maxDynos = parseMaxDynos(opts.maxDynos);
  const request = parseFormation([...tokens, ...(opts.formation ?? [])], maxDynos);
  if (opts.port !== undefined) resolveBasePort({ flag: opts.port, fileEnv: {}, shellEnv: {} });
  const app = loadApp({ ...toLoadAppOptions(opts, { cwd: process.cwd(), shellEnv: process.env }), strict: opts.strict, collect: true });
  if (!app.problems.some((p) => p.severity === 'error')) resolveExitPolicies(opts, app.types); // a usage error, exit 2
  // Outside a work tree there is no git to ask: that saves a spawn per env file.
  const git = process.env.GIT_DIR || insideWorkTree(app.root) ? (await import('node:child_process')).spawnSync : undefined;
  const tracked = git ? trackedEnvFiles(app.root, app.envFiles, git) : [];
  const slug = opts.slug ? (await import('../../deploy/slug-check.js')).checkSlug(app).filter((p) => p.code !== 'slug-env' || !tracked.some((t) => t.file === p.file)) : [];
  const report = buildCheckReport({ app, request, maxDynos, portFlag: opts.port, extraProblems: [...tracked, ...slug] });
  writeStdout(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatCheckReport(report));
  if (!report.valid) throw new ExitRequest(1);
}

// Env files git tracks (secrets in the repo). Silent when git is missing or the root is not a repo.
function trackedEnvFiles(root: string, envFiles: readonly string[], spawnSync: typeof SpawnSync): Problem[] {
  const problems: Problem[] = [];
  for (const file of envFiles) {
    const rel = path.relative(root, file);
    if (rel.startsWith('..') || path.isAbsolute(rel) || /example|sample|template|dist/i.test(path.basename(file))) continue;
    const git = spawnSync('git', ['-C', root, 'ls-files', '--error-unmatch', '--', rel], { stdio: 'ignore', timeout: 5000 });
    if (git.error) return problems;
    if (git.status !== 0) continue;
    problems.push({
      file: rel, line: 0, col: 0, severity: 'warning', code: 'env-tracked',
      message: 'git tracks this env file: its secrets are in the repository',
      hint: `git rm --cached ${rel} && echo ${rel} >> .gitignore`,
    });
  }
  return problems;
}

// Whether `dir` or one of its ancestors holds a .git (directory, or file for a worktree or submodule).
function insideWorkTree(dir: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return true;
    if (path.dirname(d) === d) return false;
  }
}
