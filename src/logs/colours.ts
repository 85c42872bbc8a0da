// One stable colour per process type, chosen by the type's Procfile position (never per instance,
// so web.1 and web.2 match). Red is reserved for stderr markers and errors.
import { Chalk, type ChalkInstance, type ForegroundColorName } from 'chalk';

/** A function that wraps text in one colour (identity at level 0). */
export type Paint = (s: string) => string;

/** foreman's order without red/redBright, then white and gray: 12 distinct SGR codes at level 1. */
export const PALETTE: readonly ForegroundColorName[] = [
  'cyan', 'yellow', 'green', 'magenta', 'blue',
  'cyanBright', 'yellowBright', 'greenBright', 'magentaBright', 'blueBright',
  'white', 'gray',
];

const identity: Paint = (s) => s;

// A chalk bound to an explicit level: never consults process.env, argv or the TTY itself.
function chalkAt(level: number): ChalkInstance {
  return new Chalk({ level: Math.max(0, Math.min(3, Math.trunc(level))) as 0 | 1 | 2 | 3 });
}

/** The colour of the process type at `typeIndex` (Procfile order, from 0). */
export function pickColour(typeIndex: number, level: number): Paint {
  if (level <= 0) return identity;
  const chalk = chalkAt(level);
  if (typeIndex >= PALETTE.length && level >= 2) {
    const code = pickAnsi256(typeIndex - PALETTE.length);
    return (s) => chalk.ansi256(code)(s);
  }
  const name = PALETTE[typeIndex % PALETTE.length]!;
  return (s) => chalk[name](s);
}

/** Bright bold white: dyno's own lines and the router. */
export function pickSystemColour(level: number): Paint {
  if (level <= 0) return identity;
  const chalk = chalkAt(level);
  return (s) => chalk.bold.whiteBright(s);
}

/** Red: the stderr marker and router errors. */
export function pickErrorColour(level: number): Paint {
  if (level <= 0) return identity;
  const chalk = chalkAt(level);
  return (s) => chalk.red(s);
}

// The k-th extra colour (for types beyond the palette): bright, saturated cube colours outside the
// red band, sorted by hue and visited with a golden-ratio stride so neighbours differ in hue.
export function pickAnsi256(k: number): number {
  const n = EXTRA_COLOURS.length;
  return EXTRA_COLOURS[(k * EXTRA_STRIDE) % n]!;
}

// Hue in degrees of a cube colour (channels 0..5).
function hueOf(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}

// Every 6×6×6 cube colour that is bright (a channel ≥ 3), not grey (spread ≥ 2) and not red-ish.
function extraColours(): number[] {
  const found: Array<{ code: number; hue: number }> = [];
  for (let r = 0; r < 6; r++) {
    for (let g = 0; g < 6; g++) {
      for (let b = 0; b < 6; b++) {
        if (Math.max(r, g, b) < 3 || Math.max(r, g, b) - Math.min(r, g, b) < 2) continue;
        const hue = hueOf(r, g, b);
        if (hue < 25 || hue > 335) continue;
        found.push({ code: 16 + 36 * r + 6 * g + b, hue });
      }
    }
  }
  return found.sort((a, b) => a.hue - b.hue || a.code - b.code).map((c) => c.code);
}

const EXTRA_COLOURS: readonly number[] = extraColours();
// A stride near n/φ that is coprime to n, so the first n picks are all different.
const EXTRA_STRIDE = ((): number => {
  const n = EXTRA_COLOURS.length;
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let stride = Math.round(n / 1.618);
  while (gcd(stride, n) !== 1) stride++;
  return stride;
})();
