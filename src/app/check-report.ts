// `dyno check`'s verdict, pure: the app's problems plus formation and port checks, and its rendering.
import { DynoError } from '../core/errors.js';
import type { Formation } from '../core/types.js';
import { expandFormation, resolveBasePort } from './dyno-specs.js';
import { formatFormation, resolveFormation, type FormationRequest } from './formation.js';
import type { App } from './load-app.js';
import { countProblems, formatProblem, type Problem } from './problem.js';

/** What `dyno check --json` prints. */
export interface CheckReport {
  /** No problem of severity `error`. */
  valid: boolean;
  /** The process types Cedar would run, in file order. */
  types: Array<{ name: string; command: string; line: number }>;
  /** Every problem: Procfile, env files, then formation and port. */
  problems: Problem[];
  /** The resolved formation, when it resolved. */
  formation?: Formation;
  /** The router's port (-p > PORT in env files > PORT in the shell > 5006), when valid. */
  basePort?: number;
  /** Each dyno the formation starts, with its PORT. */
  dynos: Array<{ name: string; port: number }>;
}

/** Text output shows at most this many problems; --json shows all. */
export const MAX_SHOWN_PROBLEMS = 200;

// A DynoError from formation or port resolution, as a problem.
function asProblem(err: unknown, file: string): Problem {
  if (!(err instanceof DynoError)) throw err;
  return { file, line: 0, col: 0, severity: 'error', code: err.code.toLowerCase().replaceAll('_', '-'), message: err.message, hint: err.hint };
}

/** Check formation and ports against the app and assemble the report. */
export function buildCheckReport(o: { app: App; request?: FormationRequest; portFlag?: string; extraProblems?: Problem[]; maxDynos?: number }): CheckReport {
  const problems = [...o.app.problems, ...(o.extraProblems ?? [])];
  const report: CheckReport = { valid: false, types: o.app.types.map((t) => ({ name: t.name, command: t.command, line: t.line })), problems, dynos: [] };
  try {
    report.formation = resolveFormation(o.request, o.app.types, o.maxDynos);
  } catch (err) {
    problems.push(asProblem(err, 'formation'));
  }
  try {
    report.basePort = resolveBasePort({ flag: o.portFlag, fileEnv: o.app.fileEnv, shellEnv: o.app.shellEnv });
  } catch (err) {
    problems.push(asProblem(err, 'port'));
  }
  if (report.formation && report.basePort !== undefined) {
    try {
      const specs = expandFormation({ types: o.app.types, formation: report.formation, env: {}, basePort: report.basePort, router: true });
      report.dynos = specs.map((s) => ({ name: s.name, port: s.port }));
    } catch (err) {
      problems.push(asProblem(err, 'formation'));
    }
  }
  report.valid = countProblems(problems).errors === 0;
  return report;
}

// `web, worker (2 process types)`, the names cut after 10.
function typeSummary(types: CheckReport['types']): string {
  const names = types.slice(0, 10).map((t) => t.name).join(', ') + (types.length > 10 ? ', …' : '');
  return `${names} (${types.length} process type${types.length === 1 ? '' : 's'})`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The human output: one block per problem, then the verdict, formation and ports. */
export function formatCheckReport(report: CheckReport): string {
  const lines = report.problems.slice(0, MAX_SHOWN_PROBLEMS).map(formatProblem);
  if (report.problems.length > MAX_SHOWN_PROBLEMS) lines.push(`… ${report.problems.length - MAX_SHOWN_PROBLEMS} more problems (--json lists them all)`);
  const { errors, warnings } = countProblems(report.problems);
  const warned = warnings ? `, ${plural(warnings, 'warning')}` : '';
  if (!report.valid) {
    lines.push(`invalid: ${plural(errors, 'error')}${warned}`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`valid Procfile: ${typeSummary(report.types)}${warned}`);
  if (report.formation) {
    const ports = report.dynos.slice(0, 12).map((d) => `${d.name} :${d.port}`).join(', ') + (report.dynos.length > 12 ? `, … (${report.dynos.length} dynos)` : '');
    lines.push(`formation: ${formatFormation(report.formation)}${ports ? ` (${ports}; router :${report.basePort})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
