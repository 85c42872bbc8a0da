// Formation → dyno specs: names (web.1), ports, and each dyno's complete environment.
// Ports: the router (a later issue) owns the base port, so dyno ports are base + 100·typeIndex + n;
// without the router they are foreman's base + 100·typeIndex + n − 1. The type index is the type's
// position in the Procfile, whatever subset runs, so ports stay stable.
import { DynoError } from '../core/errors.js';
import type { DynoSpec, Formation, ProcessType } from '../core/types.js';
import { mergeEnv } from './env-file.js';

/** heroku local's default base port (moved from 5000, which macOS AirPlay holds). */
export const DEFAULT_BASE_PORT = 5006;
export const MIN_PORT = 1024;
export const MAX_PORT = 65535;

/** Per-dyno variables that must never leak in from the parent environment. */
/** The variables dyno sets per dyno (never taken from the shell or env files). */
export const PER_DYNO_KEYS = ['PORT', 'DYNO', 'PS', 'FOREMAN_WORKER_NAME'] as const;

export interface ExpandOptions {
  /** The Procfile's types; `index` fixes each type's port block. */
  types: ProcessType[];
  /** Count per type (from resolveFormation). */
  formation: Formation;
  /** The app environment (shell < env files), before per-dyno variables. */
  env: Record<string, string>;
  /** From resolveBasePort. */
  basePort: number;
  /** True when the router holds basePort (dyno ports start at +1). */
  router: boolean;
}

/** The per-dyno layer on top of `env`: DYNO, PS, FOREMAN_WORKER_NAME = name; PORT only when given. */
export function dynoEnv(env: Record<string, string>, name: string, port?: number): Record<string, string> {
  const layer: Record<string, string | undefined> = {};
  for (const key of PER_DYNO_KEYS) layer[key] = undefined;
  Object.assign(layer, { DYNO: name, PS: name, FOREMAN_WORKER_NAME: name });
  if (port !== undefined) layer.PORT = String(port);
  return mergeEnv([env, layer]);
}

/** One spec per dyno, web.1, web.2, worker.1…, in Procfile order. Throws PORT_RANGE past 65535. */
export function expandFormation(o: ExpandOptions): DynoSpec[] {
  const specs: DynoSpec[] = [];
  for (const type of o.types) {
    const count = o.formation[type.name] ?? 0;
    for (let n = 1; n <= count; n++) {
      const port = o.basePort + 100 * type.index + n - (o.router ? 0 : 1);
      const name = `${type.name}.${n}`;
      if (port > MAX_PORT) {
        throw new DynoError('PORT_RANGE', `${name} would get port ${port}, past ${MAX_PORT} (base ${o.basePort} + 100 × type index ${type.index})`, {
          hint: 'use a lower base port (-p), or start fewer process types',
        });
      }
      specs.push({ name, type: type.name, instance: n, command: type.command, env: dynoEnv(o.env, name, port), port });
    }
  }
  return specs;
}

/** The base port: -p > PORT in env files > PORT in the shell > 5006. Throws PORT_RANGE on a bad value. */
export function resolveBasePort(o: { flag?: string; fileEnv: Record<string, string>; shellEnv: Record<string, string | undefined> }): number {
  const candidates: Array<[string | undefined, string]> = [
    [o.flag, '-p/--port'],
    [o.fileEnv.PORT, 'PORT in the env file'],
    [o.shellEnv.PORT, 'PORT in the environment'],
  ];
  const found = candidates.find(([value]) => value !== undefined && value.trim() !== '');
  if (!found) return DEFAULT_BASE_PORT;
  const [raw, source] = found as [string, string];
  const value = raw.trim();
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (Number.isNaN(port) || port < MIN_PORT || port > MAX_PORT) {
    const why = Number.isNaN(port) ? 'is not a port number' : port < MIN_PORT ? `is below ${MIN_PORT} (privileged ports are refused)` : `is above ${MAX_PORT}`;
    throw new DynoError('PORT_RANGE', `${source} ${JSON.stringify(value)} ${why}`, { hint: `use a port from ${MIN_PORT} to ${MAX_PORT}, e.g. ${DEFAULT_BASE_PORT}` });
  }
  return port;
}
