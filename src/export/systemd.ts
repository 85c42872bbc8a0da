// systemd: `<app>.target` wanting one `<app>-<type>.<n>.service` per dyno, and the app's env in a
// 0600 EnvironmentFile. The release phase is `<app>-release.service`, Type=oneshot: every dyno unit
// Requires= and After= it, so no dyno starts before it exited 0, and none starts if it failed.
// Install: copy the units to /etc/systemd/system, `systemctl enable --now <app>.target`.
import { dynoNames, generatedHeader, RELEASE_DYNO, RELEASE_TIMEOUT_SECONDS, type ExportPlan, type OutputFile } from './exporter.js';
import { systemdPath, systemdWord } from './quote.js';
import { renderShellEnvFile, shellEnvFileName } from './shell-env-file.js';

/** `<app>-release.service`. */
function releaseUnit(plan: ExportPlan): string {
  return `${plan.app}-release.service`;
}

// How a dyno stops. -t 0 means "SIGKILL at once": TimeoutStopSec=0 would mean "no timeout" (never SIGKILL),
// so the kill signal itself becomes SIGKILL, and systemd waits at most 1 s for the processes to vanish.
function stopLines(plan: ExportPlan): string[] {
  if (plan.graceSeconds === 0) return ['KillMode=control-group', 'KillSignal=SIGKILL', 'TimeoutStopSec=1'];
  return ['KillMode=control-group', 'KillSignal=SIGTERM', `TimeoutStopSec=${plan.graceSeconds}`];
}

// The [Service] lines every unit shares.
function runLines(plan: ExportPlan, env: string[], command: string): string[] {
  return [
    ...(plan.user ? [`User=${plan.user}`] : []),
    `WorkingDirectory=${systemdPath(plan.root)}`,
    `EnvironmentFile=${systemdPath(`${plan.outDir}/${shellEnvFileName(plan)}`)}`,
    `Environment=${env.map((e) => systemdWord(e, { dollar: false })).join(' ')}`,
    `ExecStart=/bin/sh -c ${systemdWord(command, { dollar: true })}`,
  ];
}

// One dyno's unit. KillMode=control-group: like Heroku, SIGTERM reaches every process of the dyno
// (dash does not exec the last command, so signalling only `sh` would leave the app running).
function renderService(plan: ExportPlan, dyno: { name: string; command: string; port: number }): string {
  const release = plan.release !== undefined ? releaseUnit(plan) : undefined;
  const lines = [
    generatedHeader(plan, `systemd unit of ${dyno.name}`).trimEnd(),
    '[Unit]',
    `Description=${plan.app} ${dyno.name}`,
    `PartOf=${plan.app}.target`,
    ...(release ? [`Requires=${release}`, `After=network.target ${release}`] : ['After=network.target']),
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=simple',
    ...runLines(plan, [`PORT=${dyno.port}`, `DYNO=${dyno.name}`], dyno.command),
    'Restart=always',
    'RestartSec=1',
    ...stopLines(plan),
    `SyslogIdentifier=${plan.app}-${dyno.name}`,
    '',
    '[Install]',
    `WantedBy=${plan.app}.target`,
  ];
  return `${lines.join('\n')}\n`;
}

// The release phase: runs once per start of the target (a restart of the target runs it again, like a
// new release); RemainAfterExit keeps it active so the dynos' Requires= stays satisfied. Heroku's 1 h timeout.
function renderRelease(plan: ExportPlan, command: string): string {
  const lines = [
    generatedHeader(plan, 'systemd unit of the release phase').trimEnd(),
    '[Unit]',
    `Description=${plan.app} ${RELEASE_DYNO} (release phase: the dynos start only after it succeeded)`,
    `PartOf=${plan.app}.target`,
    'After=network.target',
    '',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    ...runLines(plan, [`DYNO=${RELEASE_DYNO}`], command),
    `TimeoutStartSec=${RELEASE_TIMEOUT_SECONDS}`,
    ...stopLines(plan),
    `SyslogIdentifier=${plan.app}-${RELEASE_DYNO}`,
    '',
    '[Install]',
    `WantedBy=${plan.app}.target`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Render the target, the release unit, one service per dyno, and the env file. */
export function renderSystemd(plan: ExportPlan): OutputFile[] {
  const services: OutputFile[] = [];
  if (plan.release !== undefined) services.push({ path: releaseUnit(plan), content: renderRelease(plan, plan.release) });
  for (const type of plan.types) {
    dynoNames(type).forEach((name, i) => {
      const content = renderService(plan, { name, command: type.command, port: type.port + i });
      services.push({ path: `${plan.app}-${name}.service`, content });
    });
  }
  const target = [
    generatedHeader(plan, 'systemd target').trimEnd(),
    '[Unit]',
    `Description=${plan.app} (every dyno)`,
    `Wants=${services.map((s) => s.path).join(' ')}`,
    '',
    '[Install]',
    'WantedBy=multi-user.target',
  ];
  return [{ path: `${plan.app}.target`, content: `${target.join('\n')}\n` }, ...services, renderShellEnvFile(plan)];
}
