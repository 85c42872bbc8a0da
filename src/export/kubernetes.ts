// Kubernetes: a Deployment per process type (replicas = scale, terminationGracePeriodSeconds = grace),
// for web a startupProbe on $PORT with R10's 60 s budget, a Service and an Ingress whose timeout
// annotations mirror the router's 30 s cutoff; the env files become a Secret in its own 0600 file.
// DYNO is the pod name (Fir's dyno names are pod names too: `web-12a34b56d-e78f9`).
// The release phase is a Job in `<app>-release.yaml`, not an init container: an init container runs in
// every pod (each replica, each pod restart, concurrently), while Heroku runs the release command once
// per release and holds every dyno until it succeeded. A Job with backoffLimit 0 is that one run;
// the order comes from applying it first and waiting for it (the commands are in the file's header).
import { DynoError } from '../core/errors.js';
import { generatedHeader, RELEASE_TIMEOUT_SECONDS, type ExportPlan, type ExportType, type OutputFile } from './exporter.js';
import { kubernetesEscape } from './quote.js';
import { renderYaml, type YamlValue } from './render-yaml.js';

/** Heroku's boot timeout (R10), as the startup probe's budget. */
export const STARTUP_BUDGET_SECONDS = 60;
/** The router's first-byte cutoff (H12), as the Ingress timeouts. */
export const ROUTER_TIMEOUT_SECONDS = 30;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A process type's name as a DNS label: lowercase, `_` → `-`. Throws USAGE when impossible. */
export function kubernetesName(plan: ExportPlan, type: string): string {
  const label = type.toLowerCase().replace(/_/g, '-');
  const full = `${plan.app}-${label}`;
  if (!DNS_LABEL.test(label) || full.length > 63) {
    throw new DynoError('USAGE', `process type ${JSON.stringify(type)} cannot name a Kubernetes object (${JSON.stringify(full)} is not a DNS label of at most 63 characters)`, {
      hint: 'rename the type in the Procfile, or use a shorter app name (-a)',
    });
  }
  return label;
}

// The labels of one type's pods.
function labels(plan: ExportPlan, component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': plan.app, 'app.kubernetes.io/component': component, 'app.kubernetes.io/managed-by': 'dyno-export' };
}

// The container of one type.
function container(plan: ExportPlan, type: ExportType, name: string): YamlValue {
  const web = type.name === 'web';
  return {
    name,
    image: plan.app,
    command: ['/bin/sh', '-c', kubernetesEscape(type.command)],
    envFrom: [{ secretRef: { name: `${plan.app}-env` } }],
    env: [
      { name: 'PORT', value: String(type.port) },
      { name: 'DYNO', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ],
    ports: web ? [{ name: 'http', containerPort: type.port }] : undefined,
    startupProbe: web ? { tcpSocket: { port: 'http' }, periodSeconds: 1, failureThreshold: STARTUP_BUDGET_SECONDS } : undefined,
  };
}

// One Deployment.
function deployment(plan: ExportPlan, type: ExportType, names: Set<string>): YamlValue {
  const name = kubernetesName(plan, type.name);
  if (names.has(name)) throw new DynoError('USAGE', `two process types become the Kubernetes name ${JSON.stringify(`${plan.app}-${name}`)}`, { hint: 'rename one in the Procfile' });
  names.add(name);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${plan.app}-${name}`, labels: labels(plan, name) },
    spec: {
      replicas: type.count,
      selector: { matchLabels: labels(plan, name) },
      template: {
        metadata: { labels: labels(plan, name) },
        spec: { terminationGracePeriodSeconds: plan.graceSeconds, containers: [container(plan, type, name)] },
      },
    },
  };
}

// The Service and Ingress in front of web.
function webObjects(plan: ExportPlan): YamlValue[] {
  const name = `${plan.app}-web`;
  const timeout = String(ROUTER_TIMEOUT_SECONDS);
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: labels(plan, 'web') },
    spec: { selector: labels(plan, 'web'), ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
  const ingress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: plan.app,
      labels: labels(plan, 'web'),
      annotations: { 'nginx.ingress.kubernetes.io/proxy-read-timeout': timeout, 'nginx.ingress.kubernetes.io/proxy-send-timeout': timeout },
    },
    spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { name: 'http' } } } }] } }] },
  };
  return [service, ingress];
}

/** The objects as data: [workloads (Deployments, Service, Ingress), secret]. Tests validate these and parse the files back. */
export function kubernetesObjects(plan: ExportPlan): { workloads: YamlValue[]; secret: YamlValue } {
  const names = new Set<string>();
  const workloads = plan.types.map((t) => deployment(plan, t, names));
  if (plan.types.some((t) => t.name === 'web')) workloads.push(...webObjects(plan));
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${plan.app}-env`, labels: labels(plan, 'env') }, type: 'Opaque', stringData: { ...plan.env } };
  return { workloads, secret };
}

/** The release Job: one pod, never retried (a failed release deploys nothing), Heroku's 1 h deadline. */
export function releaseJob(plan: ExportPlan, command: string): YamlValue {
  const release: YamlValue = {
    name: 'release',
    image: plan.app,
    command: ['/bin/sh', '-c', kubernetesEscape(command)],
    envFrom: [{ secretRef: { name: `${plan.app}-env` } }],
    env: [{ name: 'DYNO', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `${plan.app}-release`, labels: labels(plan, 'release') },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: RELEASE_TIMEOUT_SECONDS,
      template: {
        metadata: { labels: labels(plan, 'release') },
        spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: plan.graceSeconds, containers: [release] },
      },
    },
  };
}

/** How to apply the files in order: the release Job first, the workloads once it completed. */
export function kubernetesApplyOrder(plan: ExportPlan): string {
  const job = `${plan.app}-release`;
  return `kubectl apply -f ${plan.app}-secret.yaml && kubectl delete job ${job} --ignore-not-found && kubectl apply -f ${job}.yaml && kubectl wait --for=condition=complete --timeout=${RELEASE_TIMEOUT_SECONDS}s job/${job} && kubectl apply -f ${plan.app}.yaml`;
}

/** Render `<app>.yaml` (every workload, `---` separated), `<app>-release.yaml` (the release Job) and `<app>-secret.yaml` (0600). */
export function renderKubernetes(plan: ExportPlan): OutputFile[] {
  const { workloads, secret } = kubernetesObjects(plan);
  const docs = workloads.map((o) => `---\n${renderYaml(o)}`).join('');
  const files: OutputFile[] = [{ path: `${plan.app}.yaml`, content: generatedHeader(plan, 'Kubernetes objects') + docs }];
  if (plan.release !== undefined) {
    const head = `${generatedHeader(plan, 'Kubernetes release Job')}# Run it before the dynos, and start them only if it completed:\n#   ${kubernetesApplyOrder(plan)}\n`;
    files.push({ path: `${plan.app}-release.yaml`, content: `${head}---\n${renderYaml(releaseJob(plan, plan.release))}` });
  }
  files.push({ path: `${plan.app}-secret.yaml`, content: `${generatedHeader(plan, 'Kubernetes Secret')}---\n${renderYaml(secret)}`, secret: true });
  return files;
}
