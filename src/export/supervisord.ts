// supervisord: a `[group:<app>]` and one `[program:<app>-<type>]` per process type, numprocs = scale,
// to include from supervisord.conf (e.g. /etc/supervisor/conf.d/). supervisord has no env files and no
// arithmetic, so each process runs a fixed `sh` script that sources the 0600 env file, sets DYNO and
// PORT from %(process_num)d, and execs the Procfile command; everything variable is a positional argument.
// supervisord cannot order programs, so with a release phase the closest honest equivalent is: the
// group's programs do not autostart; `[program:<app>-release]` (one-shot, outside the group) runs the
// release command and, only if it exits 0, starts the group through supervisorctl, on the server URL
// supervisord gives its children (SUPERVISOR_SERVER_URL). That needs supervisorctl access: the main
// supervisord.conf must have a [unix_http_server] (or inet) and [rpcinterface:supervisor], as Debian's has.
import { generatedHeader, RELEASE_DYNO, type ExportPlan, type ExportType, type OutputFile } from './exporter.js';
import { supervisordCommand, supervisordValue } from './quote.js';
import { renderShellEnvFile, shellEnvFileName } from './shell-env-file.js';

/** The wrapper run as `sh -c SCRIPT <type> <n> <port of n=1> <env file> <command>` ($0..$4). */
export const SUPERVISORD_SCRIPT = 'set -a && . "$3" && set +a && DYNO="$0.$1" && PORT=$(($2 + $1 - 1)) && export DYNO PORT && exec /bin/sh -c "$4"';

/**
 * The release wrapper, `sh -c SCRIPT <dyno name> <env file> <command> <group> [<user>]` ($0..$4): release,
 * then start the group. With -u the program itself stays root (supervisord's socket is 0700 root by
 * default, so supervisorctl as the user would be refused) and only the release command runs as the user.
 */
export function supervisordReleaseScript(asUser: boolean): string {
  // runuser lives in /usr/sbin, which a supervisord's PATH may lack.
  const run = asUser ? '"$(command -v runuser || echo /usr/sbin/runuser)" -u "$4" -- /bin/sh -c "$2"' : '/bin/sh -c "$2"';
  return `set -a && . "$1" && set +a && DYNO="$0" && export DYNO && ${run} && exec supervisorctl -s "$SUPERVISOR_SERVER_URL" start "$3:*"`;
}

// How a program stops: -t 0 is "SIGKILL at once" (stopwaitsecs=0 would still send TERM first).
function stopLines(plan: ExportPlan): string[] {
  return plan.graceSeconds === 0 ? ['stopsignal=KILL', 'stopwaitsecs=1'] : ['stopsignal=TERM', `stopwaitsecs=${plan.graceSeconds}`];
}


function envFilePath(plan: ExportPlan): string {
  return `${plan.outDir}/${shellEnvFileName(plan)}`;
}

// One [program:x] section.
function renderProgram(plan: ExportPlan, type: ExportType): string {
  const command = supervisordCommand([
    '/bin/sh', '-c', SUPERVISORD_SCRIPT,
    type.name, { expanded: '%(process_num)d' }, String(type.port), envFilePath(plan), type.command,
  ]);
  const lines = [
    `[program:${plan.app}-${type.name}]`,
    `command=${command}`,
    `process_name=${type.name}.%(process_num)d`,
    `numprocs=${type.count}`,
    'numprocs_start=1',
    `directory=${supervisordValue(plan.root)}`,
    ...(plan.user ? [`user=${supervisordValue(plan.user)}`] : []),
    // With a release phase, the release program starts these once it succeeded.
    `autostart=${plan.release === undefined}`,
    'autorestart=true',
    ...stopLines(plan),
    // Like Heroku, every process of the dyno gets SIGTERM, then SIGKILL (dash does not exec the command).
    'stopasgroup=true',
    'killasgroup=true',
    'redirect_stderr=true',
  ];
  return `${lines.join('\n')}\n`;
}

// The release program: one run per supervisord start, never restarted; exit 0 is its only success.
function renderRelease(plan: ExportPlan, command: string): string {
  const lines = [
    `[program:${plan.app}-release]`,
    `command=${supervisordCommand(['/bin/sh', '-c', supervisordReleaseScript(plan.user !== undefined), RELEASE_DYNO, envFilePath(plan), command, plan.app, ...(plan.user ? [plan.user] : [])])}`,
    `process_name=${RELEASE_DYNO}`,
    `directory=${supervisordValue(plan.root)}`,
    'autostart=true',
    'autorestart=false',
    'startsecs=0',
    'exitcodes=0',
    'priority=1',
    ...stopLines(plan),
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
  if (plan.release !== undefined) sections.push(renderRelease(plan, plan.release));
  const head = generatedHeader(plan, 'supervisord programs');
  const note = plan.release === undefined ? '' : `# The group starts when ${plan.app}-release exited 0 (it then runs supervisorctl start ${plan.app}:*).\n`;
  return [{ path: `${plan.app}.conf`, content: `${head}${note}\n${sections.join('\n')}` }, renderShellEnvFile(plan)];
}
