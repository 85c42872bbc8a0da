// How much colour the log output gets. Precedence (NODE-NOTES §7):
//   --color always|never  >  FORCE_COLOR  >  NO_COLOR (any non-empty value → 0)  >  terminal detection.
// Detection ports chalk 5's vendored supports-color over an explicit env and isTTY (no argv sniffing,
// so a `--no-color` meant for a child cannot change our output; no win32 branch, dyno is POSIX-only).

/** The `--color` flag's values; `auto` (the default) leaves the choice to the environment. */
export type ColorFlag = 'auto' | 'always' | 'never';

/** 0 none, 1 basic 16 colours, 2 ansi256, 3 truecolor (chalk's levels). */
export type ColorLevel = 0 | 1 | 2 | 3;

export interface ColorLevelInput {
  /** The `--color` flag; missing = `auto`. */
  flag?: ColorFlag;
  /** The environment to read FORCE_COLOR, NO_COLOR, TERM, COLORTERM, CI… from. */
  env: Record<string, string | undefined>;
  /** Whether the output (dyno's stdout) is a terminal. */
  isTTY: boolean;
}

// FORCE_COLOR as supports-color reads it: 'true' → 1, 'false' → 0, '' → 1, '0'..'3' → that level.
export function parseForceColor(value: string | undefined): ColorLevel | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === '') return 1;
  if (value === 'false') return 0;
  const n = Number.parseInt(value, 10);
  if (Number.isNaN(n)) return 1;
  return Math.max(0, Math.min(n, 3)) as ColorLevel;
}

/** Resolve the colour level for dyno's own output. */
export function resolveColorLevel(o: ColorLevelInput): ColorLevel {
  const flag = o.flag ?? 'auto';
  if (flag === 'never') return 0;
  const forced = parseForceColor(o.env.FORCE_COLOR);
  if (flag === 'always') return detectColorLevel(o.env, true, Math.max(1, forced ?? 1) as ColorLevel);
  if (forced === 0) return 0;
  if (forced !== undefined) return detectColorLevel(o.env, true, forced);
  if (o.env.NO_COLOR) return 0;
  return detectColorLevel(o.env, o.isTTY, undefined);
}

// supports-color's terminal sniffing; `min` is a forced floor (undefined = not forced).
function detectColorLevel(env: Record<string, string | undefined>, isTTY: boolean, min: ColorLevel | undefined): ColorLevel {
  if ('TF_BUILD' in env && 'AGENT_NAME' in env) return Math.max(1, min ?? 0) as ColorLevel;
  if (!isTTY && min === undefined) return 0;
  const floor: ColorLevel = min ?? 0;
  const term = env.TERM ?? '';
  if (term === 'dumb') return floor;
  if ('CI' in env) {
    if (['GITHUB_ACTIONS', 'GITEA_ACTIONS', 'CIRCLECI'].some((k) => k in env)) return 3;
    if (['TRAVIS', 'APPVEYOR', 'GITLAB_CI', 'BUILDKITE', 'DRONE'].some((k) => k in env) || env.CI_NAME === 'codeship') {
      return Math.max(1, floor) as ColorLevel;
    }
    return floor;
  }
  return Math.max(floor, terminalLevel(env, term)) as ColorLevel;
}

// The level a terminal announces through TERM, COLORTERM and TERM_PROGRAM.
function terminalLevel(env: Record<string, string | undefined>, term: string): ColorLevel {
  if ('TEAMCITY_VERSION' in env) return /^(9\.(0*[1-9]\d*)\.|\d{2,}\.)/.test(env.TEAMCITY_VERSION ?? '') ? 1 : 0;
  if (env.COLORTERM === 'truecolor') return 3;
  if (term === 'xterm-kitty' || term === 'xterm-ghostty' || term === 'wezterm') return 3;
  if (env.TERM_PROGRAM === 'iTerm.app') {
    return Number.parseInt((env.TERM_PROGRAM_VERSION ?? '').split('.')[0] ?? '', 10) >= 3 ? 3 : 2;
  }
  if (env.TERM_PROGRAM === 'Apple_Terminal') return 2;
  if (/-256(color)?$/i.test(term)) return 2;
  if (/^screen|^xterm|^vt100|^vt220|^rxvt|color|ansi|cygwin|linux/i.test(term)) return 1;
  if ('COLORTERM' in env) return 1;
  return 0;
}
