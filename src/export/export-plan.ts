// App model → ExportPlan: the same formation, ports and per-dyno variables as `dyno start`, with
// only the env files' values (never the developer's shell: no PATH, no secrets from the terminal).
import path from 'node:path';
import type { App } from '../app/load-app.js';
import { expandFormation, MAX_PORT, PER_DYNO_KEYS, resolveBasePort } from '../app/dyno-specs.js';
import { resolveFormation, type FormationRequest } from '../app/formation.js';
import { DynoError } from '../core/errors.js';
import type { ExportPlan, ExportType } from './exporter.js';

/** Set per dyno by every format; an env file's value for them would be overridden, so it is dropped. */
/** Names a shell can `export` (the supervisord script sources the env file). */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** App names usable as unit, program, service and Kubernetes object prefixes. */
const APP_NAME = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
/** User names systemd and supervisord accept without quoting. */
const USER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;

export interface PlanOptions {
  /** --max-dynos: the dyno limit (default Heroku's 100). */
  maxDynos?: number;
  /** -m tokens, parsed. Undefined: every type once. */
  formation?: FormationRequest;
  /** -a; default: the app directory's name, made a DNS label. */
  app?: string;
  /** -u */
  user?: string;
  /** --app-root: the app directory on the target machine (absolute). Default: the app's directory here. */
  appRoot?: string;
  /** Absolute output directory. */
  outDir: string;
  /** Grace in whole seconds. */
  graceSeconds: number;
  /** -p, as typed. */
  portFlag?: string;
}

/** The default app name: the directory's basename, lowercased, runs of other characters → `-`. */
export function defaultAppName(root: string): string {
  const name = path.basename(root).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return name || 'app';
}

// Validate -a and -u.
function checkNames(app: string, user: string | undefined): void {
  if (!APP_NAME.test(app)) {
    throw new DynoError('USAGE', `bad app name ${JSON.stringify(app)}: use lowercase letters, digits and "-", at most 40 characters`, { hint: 'e.g. -a my-app' });
  }
  if (user !== undefined && !USER_NAME.test(user)) throw new DynoError('USAGE', `bad user name ${JSON.stringify(user)}`);
}

// The env files' values that go into the export; names the shell could not export are refused.
function exportedEnv(fileEnv: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(fileEnv)) {
    if ((PER_DYNO_KEYS as readonly string[]).includes(key)) continue;
    if (!ENV_NAME.test(key)) {
      throw new DynoError('ENV_SYNTAX', `env var name ${JSON.stringify(key)} cannot be exported: names must be letters, digits and "_", not starting with a digit`);
    }
    env[key] = value;
  }
  return env;
}

// `-m release=0` leaves the release phase out, `release=1` keeps it (the default); the rest go to resolveFormation.
function splitRelease(request: FormationRequest | undefined, hasRelease: boolean): { request?: FormationRequest; release: boolean } {
  if (!request || !hasRelease) return { request, release: hasRelease };
  let release = true;
  const entries = request.entries.filter((e) => {
    if (e.name !== 'release') return true;
    if (e.count > 1) throw new DynoError('BAD_FORMATION', `bad formation ${JSON.stringify(e.token)}: release runs once, before the other dynos`, { hint: 'release=0 leaves it out of the export, release=1 keeps it' });
    release = e.count === 1;
    return false;
  });
  return { request: entries.length ? { entries } : undefined, release };
}

// --app-root: an absolute path (it is the target machine's, so it need not exist here).
function targetRoot(appRoot: string | undefined, here: string): string {
  if (appRoot === undefined) return here;
  if (!path.isAbsolute(appRoot) || /[\0\r\n]/.test(appRoot)) {
    throw new DynoError('USAGE', `--app-root expects an absolute path on the target machine, got ${JSON.stringify(appRoot)}`, { hint: 'e.g. --app-root /srv/my-app' });
  }
  return path.normalize(appRoot).replace(/(.)\/+$/, '$1');
}

/** Build the plan. Throws like `dyno start` on a bad formation or port, and USAGE on bad names. */
export function planExport(app: App, o: PlanOptions): ExportPlan {
  const name = o.app ?? defaultAppName(app.root);
  checkNames(name, o.user);
  const releaseType = app.types.find((t) => t.name === 'release');
  const split = splitRelease(o.formation, releaseType !== undefined);
  // `-m release=1` alone names no formation dyno: every other type once, as without -m.
  const formation = resolveFormation(split.request, app.types, o.maxDynos);
  const basePort = resolveBasePort({ flag: o.portFlag, fileEnv: app.fileEnv, shellEnv: {} });
  const types = app.types.filter((t) => t.name !== 'release');
  // Ports exactly as `dyno start --no-router` gives them (no dyno router in front of the dynos).
  const firstPorts = expandFormation({ types, formation: Object.fromEntries(types.map((t) => [t.name, 1])), env: {}, basePort, router: false });
  const exported: ExportType[] = types.map((t, i) => ({ name: t.name, command: t.command, count: formation[t.name] ?? 0, port: firstPorts[i]!.port }));
  if (exported.every((t) => t.count === 0)) {
    throw new DynoError('BAD_FORMATION', 'the formation runs no dynos', { hint: 'name at least one process type with a count above 0' });
  }
  const last = exported.map((t) => t.port + Math.max(t.count, 1) - 1);
  if (last.some((p) => p > MAX_PORT)) throw new DynoError('PORT_RANGE', `the formation runs past port ${MAX_PORT}`, { hint: 'use a lower base port (-p)' });
  return {
    app: name,
    root: targetRoot(o.appRoot, app.root),
    outDir: o.outDir,
    user: o.user,
    graceSeconds: o.graceSeconds,
    types: exported,
    release: split.release ? releaseType!.command : undefined,
    env: exportedEnv(app.fileEnv),
  };
}
