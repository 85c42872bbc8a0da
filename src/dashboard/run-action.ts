// The dashboard's actions, POST /api/scale|restart|stop with a JSON body, checked and run through
// FormationControl: the very code path of `dyno scale`, `dyno restart` and `dyno stop`; and
// POST /api/load (start a load or a sweep: `dyno load` as a child) and /api/load/stop (its Ctrl-C).
import { MAX_DYNOS } from '../app/formation.js';
import { DynoError } from '../core/errors.js';
import type { ControlTarget } from '../control/server.js';
import type { LoadRunner } from './load-runner.js';
import { parseLoadRequest } from './parse-load-request.js';

/** The paths of the actions. */
export const ACTION_PATHS = ['/api/scale', '/api/restart', '/api/stop', '/api/load', '/api/load/stop'] as const;
export type ActionPath = (typeof ACTION_PATHS)[number];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const NAME = /^[\w-]+(\.\d+)?$/;

// A bad body is the page's (or a caller's) mistake: USAGE, never a crash.
function usage(message: string): DynoError {
  return new DynoError('USAGE', message);
}

/** What the actions act on. */
export interface ActionTargets {
  control: ControlTarget['control'];
  /** Load runs; absent without a router (nothing to load). */
  runner?: LoadRunner;
}

/** Run one action; resolves with the reply's fields (as the control verb answers), or throws a DynoError. */
export async function runAction(path: ActionPath, body: unknown, { control, runner }: ActionTargets): Promise<object> {
  if (!isObject(body)) throw usage('the body must be a JSON object');
  const target = body.target;
  switch (path) {
    case '/api/scale': {
      const { type, count } = body;
      if (typeof type !== 'string' || !/^[\w-]+$/.test(type)) throw usage('scale needs "type": a process type name');
      if (!Number.isInteger(count) || (count as number) < 0 || (count as number) > MAX_DYNOS) throw usage(`scale needs "count": an integer from 0 to ${MAX_DYNOS}`);
      return { formation: await control.scale([`${type}=${count as number}`]) };
    }
    case '/api/restart':
      if (target !== undefined && (typeof target !== 'string' || !NAME.test(target))) throw usage('restart "target" must be a process type or a dyno name');
      return { dynos: await control.restart(target) };
    case '/api/stop':
      if (typeof target !== 'string' || !NAME.test(target)) throw usage('stop needs "target": a process type or a dyno name');
      return { dynos: await control.stop(target) };
    case '/api/load':
      return { load: await runnerOf(runner).start(parseLoadRequest(body)) };
    case '/api/load/stop':
      return { load: await runnerOf(runner).stop() };
  }
}

function runnerOf(runner: LoadRunner | undefined): LoadRunner {
  if (!runner) throw new DynoError('NOT_RUNNING', 'this dyno start runs without a router (--no-router): there is nothing to load', { hint: 'start it again without --no-router' });
  return runner;
}
