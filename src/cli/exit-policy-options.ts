// --can-die, --auto-restart and --exit-with (overmind's -c and -r, and the opposite of --can-die):
// type lists → per-type exit policies, each name checked against the Procfile before anything starts.
import type { Command } from 'commander';
import { DynoError } from '../core/errors.js';
import type { ProcessType } from '../core/types.js';
import { expandExitPolicies, type ExitPolicy, type ExitPolicyFlags } from '../supervisor/exit-policy.js';
import { collectList } from './options.js';

const FLAG_NAMES: Record<keyof ExitPolicyFlags, string> = { canDie: '--can-die', autoRestart: '--auto-restart', exitWith: '--exit-with' };

/** Add the three flags (comma lists, repeatable). */
export function addExitPolicyOptions(cmd: Command): Command {
  return cmd
    .option('-c, --can-die <types>', 'these types may exit (clean or not): no restart, the rest keeps running', collectList)
    .option('-r, --auto-restart <types>', 'these types restart when they exit, even with --no-restart', collectList)
    .option('--exit-with <types>', 'the formation stops when one of these exits, with its status', collectList);
}

/** The per-type policies; an unknown type, `release`, or a type in two lists is an error naming it. */
export function resolveExitPolicies(flags: ExitPolicyFlags, types: readonly ProcessType[]): Record<string, ExitPolicy> {
  const names = types.map((t) => t.name).filter((n) => n !== 'release');
  const seen = new Map<string, string>();
  for (const key of Object.keys(FLAG_NAMES) as Array<keyof ExitPolicyFlags>) {
    for (const type of flags[key] ?? []) {
      const flag = FLAG_NAMES[key];
      if (!names.includes(type)) {
        throw new DynoError('UNKNOWN_TYPE', `${flag}: unknown process type ${JSON.stringify(type)}`, { hint: `the Procfile defines: ${names.join(', ') || '(none)'}` });
      }
      const other = seen.get(type);
      if (other && other !== flag) throw new DynoError('USAGE', `${type} is named by both ${other} and ${flag}; pick one`);
      seen.set(type, flag);
    }
  }
  return expandExitPolicies(flags);
}
