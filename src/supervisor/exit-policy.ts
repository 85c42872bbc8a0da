// What a dyno's exit means, per process type (overmind's -c/--can-die and -r/--auto-restart, plus
// --exit-with): restart it (Heroku's crash policy), let it die alone, or stop the whole formation.

/**
 * `restart`: a crash, restarted with backoff (Heroku). `can-die`: the exit, clean or not, neither
 * restarts it nor stops the rest; it ends `complete` (status 0) or `crashed`. `stop-all`: the formation
 * stops and dyno exits with that status (foreman; `--no-restart` gives every type this policy).
 */
export type ExitPolicy = 'restart' | 'can-die' | 'stop-all';

/** The types each flag names. */
export interface ExitPolicyFlags {
  canDie?: readonly string[];
  autoRestart?: readonly string[];
  exitWith?: readonly string[];
}

/** The policy of every type named by a flag; types not named follow `fallback` (from --no-restart). */
export function expandExitPolicies(flags: ExitPolicyFlags): Record<string, ExitPolicy> {
  const policies: Record<string, ExitPolicy> = {};
  for (const type of flags.autoRestart ?? []) policies[type] = 'restart';
  for (const type of flags.exitWith ?? []) policies[type] = 'stop-all';
  for (const type of flags.canDie ?? []) policies[type] = 'can-die';
  return policies;
}

/** One type's policy: its own, else the formation-wide default. */
export function exitPolicyOf(type: string, policies: Readonly<Record<string, ExitPolicy>> | undefined, restart: 'heroku' | 'never'): ExitPolicy {
  return policies?.[type] ?? (restart === 'heroku' ? 'restart' : 'stop-all');
}
