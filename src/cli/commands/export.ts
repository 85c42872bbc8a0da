// `dyno export <format>`: loadApp → planExport → exporter.render → writeFiles.
import path from 'node:path';
import type { Command } from 'commander';
import { parseFormation, parseMaxDynos } from '../../app/formation.js';
import { loadApp } from '../../app/load-app.js';
import { DynoError } from '../../core/errors.js';
import { planExport } from '../../export/export-plan.js';
import { EXPORTERS, findExporter } from '../../export/exporter.js';
import { writeFiles } from '../../export/write-files.js';
import { addAppOptions, addFormationOption, toLoadAppOptions, type AppOptions } from '../options.js';
import { assertPathFlag, assertWritableDir } from '../writable-path.js';

interface ExportOptions extends AppOptions {
  out?: string;
  formation?: string[];
  app?: string;
  user?: string;
  timeout: string;
  force?: boolean;
  maxDynos?: string;
}

// `dyno export systemd|supervisord|compose|kubernetes [-o dir] [-m formation] [-a app] [-u user] [-e files] [--force]`.
export function registerExport(program: Command): void {
  const formats = EXPORTERS.map((e) => `  ${e.format.padEnd(12)} ${e.description}`).join('\n');
  const cmd = program
    .command('export')
    .description('write the formation as systemd units, supervisord programs, a docker compose file or Kubernetes objects')
    .argument('<format>', EXPORTERS.map((e) => e.format).join(' | '))
    .addHelpText('after', `\nFormats:\n${formats}\n\nOnly the env files' values are exported (never the shell's), into a separate 0600 file.`);
  addAppOptions(cmd);
  addFormationOption(cmd);
  cmd
    .option('-o, --out <dir>', 'output directory (default: ./<format>)')
    .option('-a, --app <name>', "app name for files, units and objects (default: the app directory's name)")
    .option('-u, --user <user>', 'run the dynos as this user (systemd, supervisord, compose)')
    .option('-t, --timeout <seconds>', 'grace after SIGTERM before SIGKILL', '30')
    .option('--force', 'overwrite files that exist')
    .option('--max-dynos <n>', "allow up to n dynos (default: Heroku's limit, 100)")
    .action((format: string, opts: ExportOptions) => runExport(format, opts));
}

// Whole seconds from -t.
function graceSeconds(value: string): number {
  if (!/^\d{1,5}$/.test(value.trim())) throw new DynoError('USAGE', `-t/--timeout expects whole seconds, got ${JSON.stringify(value)}`);
  return Number(value.trim());
}

function runExport(format: string, opts: ExportOptions): void {
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
    outDir,
    graceSeconds: graceSeconds(opts.timeout),
    portFlag: opts.port,
  });
  const files = exporter.render(plan);
  writeFiles(files, { outDir, force: opts.force === true, cwd, log: (line) => process.stdout.write(`${line}\n`) });
}
