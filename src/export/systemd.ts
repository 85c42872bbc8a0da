// systemd: `<app>.target` wanting one `<app>-<type>.<n>.service` per dyno, and the app's env in a
// 0600 EnvironmentFile. Install: copy the units to /etc/systemd/system, `systemctl enable --now <app>.target`.
import { dynoNames, generatedHeader, type ExportPlan, type OutputFile } from './exporter.js';
import { systemdPath, systemdWord } from './quote.js';
import { renderShellEnvFile, shellEnvFileName } from './shell-env-file.js';

// One dyno's unit. KillMode=control-group: like Heroku, SIGTERM reaches every process of the dyno
// (dash does not exec the last command, so signalling only `sh` would leave the app running).
function renderService(plan: ExportPlan, dyno: { name: string; command: string; port: number }): string {
  const lines = [
    generatedHeader(plan, `systemd unit of ${dyno.name}`).trimEnd(),
    '[Unit]',
    `Description=${plan.app} ${dyno.name}`,
    `PartOf=${plan.app}.target`,
    'After=network.target',
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    'Type=simple',
    ...(plan.user ? [`User=${plan.user}`] : []),
    `WorkingDirectory=${systemdPath(plan.root)}`,
    `EnvironmentFile=${systemdPath(`${plan.outDir}/${shellEnvFileName(plan)}`)}`,
    `Environment=${systemdWord(`PORT=${dyno.port}`, { dollar: false })} ${systemdWord(`DYNO=${dyno.name}`, { dollar: false })}`,
    `ExecStart=/bin/sh -c ${systemdWord(dyno.command, { dollar: true })}`,
    'Restart=always',
    'RestartSec=1',
    'KillMode=control-group',
    'KillSignal=SIGTERM',
    `TimeoutStopSec=${plan.graceSeconds}`,
    `SyslogIdentifier=${plan.app}-${dyno.name}`,
    '',
    '[Install]',
    `WantedBy=${plan.app}.target`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Render the target, one service per dyno, and the env file. */
export function renderSystemd(plan: ExportPlan): OutputFile[] {
  const services: OutputFile[] = [];
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
