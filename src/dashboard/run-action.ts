// The dashboard's actions, POST /api/scale|restart|stop with a JSON body, checked and run through
// FormationControl: the very code path of `dyno scale`, `dyno restart` and `dyno stop`.
import { MAX_DYNOS } from '../app/formation.js';
import { DynoError } from '../core/errors.js';
import type { ControlTarget } from '../control/server.js';

/** The paths of the actions. */
export const ACTION_PATHS = ['/api/scale', '/api/restart', '/api/stop'] as const;
export type ActionPath = (typeof ACTION_PATHS)[number];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const NAME = /^[\w-]+(\.\d+)?$/;

// A bad body is the page's (or a caller's) mistake: USAGE, never a crash.
function usage(message: string): DynoError {
  return new DynoError('USAGE', message);
}

/** Run one action; resolves with the reply's fields (as the control verb answers), or throws a DynoError. */
export async function runAction(path: ActionPath, body: unknown, control: ControlTarget['control']): Promise<object> {
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
  }
}
