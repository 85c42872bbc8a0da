// The terminal's colour of each process type (logs/colours.ts) as CSS, so the page's log tail and
// resource rows match what `dyno start` prints: the 12 palette names as a common dark-theme
// terminal draws them, then the same 256-colour cube picks the terminal uses past the palette.
import { PALETTE, pickAnsi256 } from '../logs/colours.js';

const NAMED: Readonly<Record<string, string>> = {
  cyan: '#11a8cd', yellow: '#e5e510', green: '#0dbc79', magenta: '#bc3fbc', blue: '#2472c8',
  cyanBright: '#29b8db', yellowBright: '#f5f543', greenBright: '#23d18b', magentaBright: '#d670d6', blueBright: '#3b8eea',
  white: '#e5e5e5', gray: '#8a8a8a',
};

/** Levels of one channel of the xterm 6×6×6 cube. */
const CUBE = [0, 95, 135, 175, 215, 255];

// `#rrggbb` of a 256-colour cube code (16–231).
function cubeCss(code: number): string {
  const n = code - 16;
  const hex = (level: number): string => CUBE[level]!.toString(16).padStart(2, '0');
  return `#${hex(Math.floor(n / 36))}${hex(Math.floor(n / 6) % 6)}${hex(n % 6)}`;
}

/** The CSS colour of the process type at `typeIndex` (Procfile order, from 0). */
export function pickCssColour(typeIndex: number): string {
  if (typeIndex < PALETTE.length) return NAMED[PALETTE[typeIndex]!] ?? '#e5e5e5';
  return cubeCss(pickAnsi256(typeIndex - PALETTE.length));
}
