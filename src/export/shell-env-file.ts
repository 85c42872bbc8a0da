// The env file of the systemd and supervisord exports: `KEY='value'` lines that systemd's
// EnvironmentFile= and POSIX `sh` (`set -a; . file`) read alike. Mode 0600: it holds the secrets.
import { generatedHeader, type ExportPlan, type OutputFile } from './exporter.js';
import { envFileValue } from './quote.js';

/** `<app>.env`, relative to the output directory. */
export function shellEnvFileName(plan: ExportPlan): string {
  return `${plan.app}.env`;
}

/** The env file, keys sorted. */
export function renderShellEnvFile(plan: ExportPlan): OutputFile {
  const lines = Object.keys(plan.env)
    .sort()
    .map((key) => `${key}=${envFileValue(plan.env[key]!)}\n`);
  const head = `${generatedHeader(plan, 'Environment')}# Values from the app's env files only (never the shell's); mode 0600.\n`;
  return { path: shellEnvFileName(plan), content: head + lines.join(''), secret: true };
}
