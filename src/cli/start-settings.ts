// `dyno start`'s flags and app → every setting the composition root needs, all validated before
// anything starts (bad input: one DynoError, exit 2, nothing started).
import path from 'node:path';
import type { App } from '../app/load-app.js';
import { parseFormation, parseMaxDynos, resolveFormation } from '../app/formation.js';
import { expandFormation, resolveBasePort } from '../app/dyno-specs.js';
import { DynoError } from '../core/errors.js';
import type { DynoSpec, Formation } from '../core/types.js';
import type { ColorFlag } from '../logs/color-level.js';
import type { Backoff } from '../supervisor/restart-policy.js';
import { resolveDashboardPort } from '../dashboard/dashboard.js';
import { resolveDynoManagerOptions, type DynoManagerSettings } from './dyno-manager-options.js';
import { parseDuration } from './parse-duration.js';
import { resolveExitPolicies } from './exit-policy-options.js';
import { resolveFormationSizes, type FormationSizes } from './formation-sizes.js';
import type { ExitPolicy } from '../supervisor/exit-policy.js';
import { parseRouterHost } from './assert-ports-free.js';
import { assertPathFlag, assertWritableFile } from './writable-path.js';
import type { StartOptions } from './commands/start.js';

/** What `dyno start` will run, and how. */
export interface StartSettings extends DynoManagerSettings {
  formation: Formation;
  basePort: number;
  specs: DynoSpec[];
  /** The specs of another formation of the same app (for `dyno scale`). */
  expand(formation: Formation): DynoSpec[];
  graceMs: number;
  routerTimeoutMs: number;
  bootTimeoutMs: number;
  backoff?: Backoff;
  dashboardPort: number;
  color?: ColorFlag;
  /** --can-die, --auto-restart, --exit-with. */
  exitPolicies: Record<string, ExitPolicy>;
  /** Per-type sizes (`web=2:standard-2x`) and their memory limits. */
  memoryByType?: FormationSizes['memoryByType'];
  sizeOf: FormationSizes['sizeOf'];
  /** The dyno limit: Heroku's 100 unless --max-dynos. */
  maxDynos: number;
}

// "--color" as commander gives it (a string, or true/false from --no-color) → ColorFlag.
function colorFlag(value: string | boolean | undefined): ColorFlag | undefined {
  if (value === false) return 'never';
  if (value === true || value === undefined) return undefined;
  return value as ColorFlag;
}

// "1s,5m" → backoff delays.
function parseBackoff(value: string | undefined): Backoff | undefined {
  if (value === undefined) return undefined;
  const [initial, max, extra] = value.split(',');
  if (!initial || !max || extra !== undefined) {
    throw new DynoError('USAGE', `--backoff expects <initial>,<max> such as 1s,5m, got "${value}"`);
  }
  const initialMs = parseDuration(initial, '--backoff');
  const maxMs = parseDuration(max, '--backoff');
  if (maxMs < initialMs) throw new DynoError('USAGE', `--backoff: the cap ${max} is below the first delay ${initial}`);
  return { initialMs, maxMs, resetAfterMs: 60_000 };
}

// Past 99 dynos of a type (--max-dynos), its ports run into the next type's block of 100.
function assertDistinctPorts(specs: DynoSpec[]): void {
  const seen = new Map<number, string>();
  for (const spec of specs) {
    const other = seen.get(spec.port);
    if (other) throw new DynoError('BAD_FORMATION', `${spec.name} and ${other} would share port ${spec.port}`, { hint: 'each type has a block of 100 ports: keep every type below 100 dynos, e.g. by splitting it into several types' });
    seen.set(spec.port, spec.name);
  }
}

export function resolveStartSettings(tokens: string[], opts: StartOptions, app: App): StartSettings {
  if (opts.router) parseRouterHost(opts.routerHost); // its address is bound (checked) before anything starts
  if (opts.logFile !== undefined) assertPathFlag('--log-file', opts.logFile);
  if (opts.logFile !== undefined) assertWritableFile('--log-file', path.resolve(opts.logFile));
  const maxDynos = parseMaxDynos(opts.maxDynos);
  const request = parseFormation([...tokens, ...(opts.formation ?? [])], maxDynos);
  const formation = resolveFormation(request, app.types, maxDynos);
  const basePort = resolveBasePort({ flag: opts.port, fileEnv: app.fileEnv, shellEnv: app.shellEnv });
  const expand = (f: Formation): DynoSpec[] => expandFormation({ types: app.types, formation: f, env: app.env, basePort, router: opts.router });
  const specs = expand(formation);
  assertDistinctPorts(specs);
  if (specs.length === 0) {
    throw new DynoError('BAD_FORMATION', 'the formation runs no dynos', { hint: 'name at least one process type with a count above 0' });
  }
  return {
    formation,
    basePort,
    specs,
    expand,
    graceMs: parseDuration(opts.timeout, '--timeout'),
    routerTimeoutMs: parseDuration(opts.routerTimeout, '--router-timeout'),
    bootTimeoutMs: parseDuration(opts.bootTimeout, '--boot-timeout'),
    backoff: parseBackoff(opts.backoff),
    dashboardPort: resolveDashboardPort(opts.dashboardPort, basePort),
    color: colorFlag(opts.color),
    exitPolicies: resolveExitPolicies(opts, app.types),
    maxDynos,
    ...withSizes(resolveDynoManagerOptions(opts, app), resolveFormationSizes.bind(null, request, app.types)),
  };
}

// The dyno-manager settings with the formation's sizes folded into the memory limits.
function withSizes(manager: DynoManagerSettings, resolve: (memory: DynoManagerSettings['memory']) => FormationSizes): DynoManagerSettings & Pick<StartSettings, 'memoryByType' | 'sizeOf'> {
  const sizes = resolve(manager.memory);
  return { ...manager, memory: sizes.memory, memoryByType: sizes.memoryByType, sizeOf: sizes.sizeOf };
}
