// supervisord: a `[group:<app>]` and one `[program:<app>-<type>]` per process type, numprocs = scale,
// to include from supervisord.conf (e.g. /etc/supervisor/conf.d/). supervisord has no env files and no
// arithmetic, so each process runs a fixed `sh` script that sources the 0600 env file, sets DYNO and
// PORT from %(process_num)d, and execs the Procfile command; everything variable is a positional argument.
import { generatedHeader, type ExportPlan, type ExportType, type OutputFile } from './exporter.js';
import { supervisordCommand, supervisordValue } from './quote.js';
import { renderShellEnvFile, shellEnvFileName } from './shell-env-file.js';

/** The wrapper run as `sh -c SCRIPT <type> <n> <port of n=1> <env file> <command>` ($0..$4). */
export const SUPERVISORD_SCRIPT = 'set -a && . "$3" && set +a && DYNO="$0.$1" && PORT=$(($2 + $1 - 1)) && export DYNO PORT && exec /bin/sh -c "$4"';

// One [program:x] section.
function renderProgram(plan: ExportPlan, type: ExportType): string {
  const command = supervisordCommand([
    '/bin/sh', '-c', SUPERVISORD_SCRIPT,
    type.name, { expanded: '%(process_num)d' }, String(type.port), `${plan.outDir}/${shellEnvFileName(plan)}`, type.command,
  ]);
  const lines = [
    `[program:${plan.app}-${type.name}]`,
    `command=${command}`,
    `process_name=${type.name}.%(process_num)d`,
    `numprocs=${type.count}`,
    'numprocs_start=1',
    `directory=${supervisordValue(plan.root)}`,
    ...(plan.user ? [`user=${supervisordValue(plan.user)}`] : []),
    'autostart=true',
    'autorestart=true',
    'stopsignal=TERM',
    `stopwaitsecs=${plan.graceSeconds}`,
    // Like Heroku, every process of the dyno gets SIGTERM, then SIGKILL (dash does not exec the command).
    'stopasgroup=true',
    'killasgroup=true',
    'redirect_stderr=true',
  ];
  return `${lines.join('\n')}\n`;
}

/** Render `<app>.conf` and the env file. Types scaled to 0 are left out. */
export function renderSupervisord(plan: ExportPlan): OutputFile[] {
  const types = plan.types.filter((t) => t.count > 0);
  const group = `[group:${plan.app}]\nprograms=${types.map((t) => `${plan.app}-${t.name}`).join(',')}\n`;
  const sections = [group, ...types.map((t) => renderProgram(plan, t))];
  const content = `${generatedHeader(plan, 'supervisord programs')}\n${sections.join('\n')}`;
  return [{ path: `${plan.app}.conf`, content }, renderShellEnvFile(plan)];
}
