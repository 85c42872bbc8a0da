// docker compose: one service per process type (deploy.replicas = scale), built from the app
// directory (it needs a Dockerfile), the app's env in a 0600 env_file, ports published for web.
// Replicas share one service definition, so DYNO is the type name (`web`), not `web.1`. The release
// phase is a `release` service run once (restart "no"); every other service depends_on it with
// condition service_completed_successfully, so none starts before it exited 0.
import { generatedHeader, RELEASE_DYNO, type ExportPlan, type ExportType, type OutputFile } from './exporter.js';
import { composeEnvValue, composeString } from './quote.js';
import { renderYaml, type YamlValue } from './render-yaml.js';

/** `<app>.env` next to docker-compose.yml. */
function envFile(plan: ExportPlan): string {
  return `${plan.app}.env`;
}

// Web publishes its replicas' ports as a host range onto the one container port.
function webPorts(type: ExportType): YamlValue[] {
  const last = type.port + Math.max(type.count, 1) - 1;
  const host = last === type.port ? `${type.port}` : `${type.port}-${last}`;
  return [`${host}:${type.port}`];
}

/** The compose document as data (tests parse the file back and compare). */
export function composeDocument(plan: ExportPlan): YamlValue {
  const services: Record<string, YamlValue> = {};
  const image = { image: plan.app, build: plan.root };
  if (plan.release !== undefined) {
    services.release = {
      ...image,
      command: ['/bin/sh', '-c', plan.release],
      user: plan.user,
      env_file: [envFile(plan)],
      environment: { DYNO: RELEASE_DYNO },
      stop_grace_period: `${plan.graceSeconds}s`,
      restart: 'no',
    };
  }
  const dependsOn = plan.release !== undefined ? { release: { condition: 'service_completed_successfully' } } : undefined;
  for (const type of plan.types) {
    services[type.name] = {
      ...image,
      command: ['/bin/sh', '-c', type.command],
      user: plan.user,
      env_file: [envFile(plan)],
      environment: { PORT: String(type.port), DYNO: type.name },
      ports: type.name === 'web' ? webPorts(type) : undefined,
      depends_on: dependsOn,
      deploy: { replicas: type.count },
      // 0s: docker stop sends SIGKILL at once.
      stop_grace_period: `${plan.graceSeconds}s`,
      restart: 'always',
    };
  }
  return { services };
}

/** Render docker-compose.yml and the env file. Every string is `$`-escaped for compose's interpolation. */
export function renderCompose(plan: ExportPlan): OutputFile[] {
  const compose = generatedHeader(plan, 'docker compose file') + renderYaml(composeDocument(plan), composeString);
  const env = Object.keys(plan.env)
    .sort()
    .map((key) => `${key}=${composeEnvValue(key, plan.env[key]!)}\n`);
  const envHead = `${generatedHeader(plan, 'docker compose env_file')}# Values from the app's env files only (never the shell's); mode 0600.\n`;
  return [
    { path: 'docker-compose.yml', content: compose },
    { path: envFile(plan), content: envHead + env.join(''), secret: true },
  ];
}
