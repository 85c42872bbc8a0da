// `dyno export <format>`: loadApp → planExport → exporter.render → writeFiles.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { parseFormation, parseMaxDynos } from '../../app/formation.js';
import { loadApp } from '../../app/load-app.js';
import { shownPath } from '../../app/shown-path.js';
import { DynoError } from '../../core/errors.js';
import { planExport } from '../../export/export-plan.js';
import { EXPORTERS, findExporter, type ExportPlan, type Exporter } from '../../export/exporter.js';
import { kubernetesApplyOrder } from '../../export/kubernetes.js';
import { shellEnvFileName } from '../../export/shell-env-file.js';
import { writeFiles } from '../../export/write-files.js';
import { addAppOptions, addFormationOption, toLoadAppOptions, type AppOptions } from '../options.js';
import { assertPathFlag, assertWritableDir } from '../writable-path.js';

interface ExportOptions extends AppOptions {
  out?: string;
  formation?: string[];
  app?: string;
  user?: string;
  appRoot?: string;
  timeout: string;
  force?: boolean;
  maxDynos?: string;
}

// `dyno export systemd|supervisord|compose|kubernetes [-o dir] [-m formation] [-a app] [-u user] [--app-root dir] [-e files] [--force]`.
export function registerExport(program: Command): void {
  const formats = EXPORTERS.map((e) => `  ${e.format.padEnd(12)} ${e.description}`).join('\n');
  const cmd = program
    .command('export')
    .description('write the formation as systemd units, supervisord programs, a docker compose file or Kubernetes objects')
    .argument('<format>', EXPORTERS.map((e) => e.format).join(' | '))
    .addHelpText(
      'after',
      `\nFormats:\n${formats}\n\nOnly the env files' values are exported (never the shell's), into a separate 0600 file.\nThe Procfile's release command runs first, once; the dynos start only if it succeeded (-m release=0 leaves it out).`,
    );
  addAppOptions(cmd);
  addFormationOption(cmd);
  cmd
    .option('-o, --out <dir>', 'output directory (default: ./<format>)')
    .option('-a, --app <name>', "app name for files, units and objects (default: the app directory's name)")
    .option('-u, --user <user>', 'run the dynos as this user (systemd, supervisord, compose)')
    .option('--app-root <dir>', "the app's directory on the target machine (default: its directory here)")
    .option('-t, --timeout <seconds>', 'grace after SIGTERM before SIGKILL (0: SIGKILL at once)', '30')
    .option('--force', 'overwrite files that exist')
    .option('--max-dynos <n>', "allow up to n dynos (default: Heroku's limit, 100)")
    .action((format: string, opts: ExportOptions) => runExport(format, opts));
}

// Whole seconds from -t.
function graceSeconds(value: string): number {
  if (!/^\d{1,5}$/.test(value.trim())) throw new DynoError('USAGE', `-t/--timeout expects whole seconds, got ${JSON.stringify(value)}`);
  return Number(value.trim());
}

// A line for the operator, on stderr (stdout lists the files written).
function say(line: string): void {
  process.stderr.write(`${line}\n`);
}

// The -u user's uid and gid on this machine, or undefined when it has no such user.
function localUser(user: string): { uid: number; gid: number } | undefined {
  try {
    const id = (flag: string): number => Number(execFileSync('id', [flag, user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

// Who owns the env file when the -u user reads it itself: that user when we are root (chown, mode
// stays 0600: a wider mode would show the secrets to every local user); otherwise a line saying how.
function secretOwner(exporter: Exporter, plan: ExportPlan, cwd: string): { owner?: { uid: number; gid: number }; notice?: string } {
  if (!exporter.userReadsEnvFile || plan.user === undefined) return {};
  const file = shownPath(cwd, path.join(plan.outDir, shellEnvFileName(plan)));
  const owner = process.getuid?.() === 0 ? localUser(plan.user) : undefined;
  if (owner) return { owner };
  const why = process.getuid?.() === 0 ? `there is no user ${plan.user} here` : 'only root can give it away';
  return { notice: `notice: ${file} is 0600 and yours (${why}): the dynos read it as ${plan.user}, so on the target run \`chown ${plan.user} ${path.join(plan.outDir, shellEnvFileName(plan))}\`` };
}

// The notices that go with the files.
function notices(format: string, plan: ExportPlan, appDir: string, appRootGiven: boolean, cwd: string): void {
  if (!appRootGiven) say(`notice: the files run the app from ${plan.root}, its directory on this machine; pass --app-root for its path on the target machine`);
  if (format === 'compose' && !fs.existsSync(path.join(appDir, 'Dockerfile'))) {
    say(`warning: ${shownPath(cwd, appDir) || '.'} has no Dockerfile: docker compose builds every service's image from it; add one before \`docker compose up\``);
  }
  if (format === 'kubernetes' && plan.release !== undefined) say(`notice: apply the release Job first and the rest once it completed: ${kubernetesApplyOrder(plan)}`);
}

function runExport(format: string, opts: ExportOptions): void {
  // `dyno export … | head`: a reader that goes away is not an error; the files are written regardless.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
  const exporter = findExporter(format);
  const cwd = process.cwd();
  const app = loadApp(toLoadAppOptions(opts, { cwd, shellEnv: {} }));
  if (opts.out !== undefined) assertPathFlag('-o', opts.out);
  const outDir = path.resolve(cwd, opts.out ?? format);
  assertWritableDir('-o', outDir);
  const plan = planExport(app, {
    formation: parseFormation(opts.formation ?? [], parseMaxDynos(opts.maxDynos)),
    maxDynos: parseMaxDynos(opts.maxDynos),
    app: opts.app,
    user: opts.user,
    appRoot: opts.appRoot,
    outDir,
    graceSeconds: graceSeconds(opts.timeout),
    portFlag: opts.port,
  });
  const files = exporter.render(plan);
  const secret = secretOwner(exporter, plan, cwd);
  writeFiles(files, { outDir, force: opts.force === true, cwd, secretOwner: secret.owner, log: (line) => process.stdout.write(`${line}\n`) });
  if (secret.notice) say(secret.notice);
  notices(format, plan, app.root, opts.appRoot !== undefined, cwd);
}
