// The default terminal format: `HH:MM:SS <name padded> <sep> <text>`.
//   name  `web.1`, `router`; `dyno` for dyno's own lines; padded to the longest name seen so far.
//   sep   `|` app stdout, `!` app stderr (red), `*` heroku lifecycle/router lines and dyno's own lines.
//   time  local, 24 h, fixed width, from the line's own `ts` (assembly time), never from print time.
// Hot path (writeTo): the `HH:MM:SS ` Buffer is cached per second and the coloured, padded prefix Buffers
// per name; an app line's own bytes are copied after them, never decoded.
import type { LogLine } from '../core/types.js';
import { putLineBytes } from './app-line.js';
import { ByteBatch } from './byte-batch.js';
import { pickColour, pickErrorColour, pickSystemColour, type Paint } from './colours.js';

export interface PrettyFormatterOptions {
  /** 0 = no ANSI at all. */
  colorLevel: number;
  /** false drops the `HH:MM:SS ` prefix. */
  timestamps: boolean;
  /** Process type names in Procfile order: fixes each type's colour. */
  types: readonly string[];
  /** false (`--raw`, `--no-prefix`): only the text of each line, no time, name or separator. Default true. */
  prefix?: boolean;
}

/** Index of each separator in a name's prefix cache: stdout, stderr, system. */
const STDOUT = 0;
const STDERR = 1;
const SYSTEM = 2;
const SEPARATORS = ['|', '!', '*'] as const;

// The name shown for a line: its dyno, or `dyno` for dyno's own lines.
function displayName(line: Pick<LogLine, 'source' | 'dyno'>): string {
  return line.source === 'dyno' || !line.dyno ? 'dyno' : line.dyno;
}

// Router lines that report a failure: `at=error` or a 5xx status.
function isRouterError(text: string): boolean {
  return text.includes('at=error') || /\bstatus=5\d\d\b/.test(text);
}

export class PrettyFormatter {
  private readonly level: number;
  private readonly timestamps: boolean;
  private readonly prefix: boolean;
  private readonly typeIndex = new Map<string, number>();
  private readonly paintSystem: Paint;
  private readonly paintError: Paint;
  private readonly prefixes = new Map<string, Buffer[]>();
  private width = 0;
  private lastSec = Number.NaN;
  private lastTime = Buffer.alloc(0);

  constructor(o: PrettyFormatterOptions) {
    this.level = o.colorLevel;
    this.timestamps = o.timestamps;
    this.prefix = o.prefix ?? true;
    o.types.forEach((t, i) => this.typeIndex.set(t, i));
    this.paintSystem = pickSystemColour(o.colorLevel);
    this.paintError = pickErrorColour(o.colorLevel);
  }

  /** Pad for `name` from now on (e.g. every dyno of a known formation), before it logs anything. */
  reserveName(name: string): void {
    if (name.length <= this.width) return;
    this.width = name.length;
    this.prefixes.clear();
  }

  /** The whole printed line, newline included (as text; the printer uses writeTo). */
  format(line: LogLine): string {
    const batch = new ByteBatch();
    this.writeTo(batch, line);
    return batch.take().toString('utf8');
  }

  /** Append the whole printed line, newline included, to `batch`; an app line's bytes go out as written. */
  writeTo(batch: ByteBatch, line: LogLine): void {
    if (!this.prefix) {
      if (!putLineBytes(batch, line)) batch.putString(line.text);
      return batch.putByte(10);
    }
    const name = displayName(line);
    if (name.length > this.width) this.reserveName(name);
    const kind = line.source !== 'app' ? SYSTEM : line.stream === 'stderr' ? STDERR : STDOUT;
    const prefix = (this.prefixes.get(name) ?? this.cachePrefixes(name, line))[kind]!;
    if (this.timestamps) batch.put(this.timeOf(line.ts));
    batch.put(prefix);
    if (!putLineBytes(batch, line)) batch.putString(this.level > 0 && name === 'router' && line.source === 'heroku' && isRouterError(line.text) ? this.paintError(line.text) : line.text);
    batch.putByte(10);
  }

  // `HH:MM:SS ` in local time, recomputed only when the second changes.
  private timeOf(ts: number): Buffer {
    const sec = Math.floor(ts / 1000);
    if (sec !== this.lastSec) {
      const d = new Date(sec * 1000);
      this.lastSec = sec;
      this.lastTime = Buffer.from(`${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())} `, 'latin1');
    }
    return this.lastTime;
  }

  // Build the three prefixes (stdout, stderr, system) of one name at the current width.
  private cachePrefixes(name: string, line: Pick<LogLine, 'source' | 'dyno'>): Buffer[] {
    const paint = this.paintFor(name, line);
    const padded = name.padEnd(this.width);
    const prefixes = SEPARATORS.map((sep, kind) =>
      Buffer.from(kind === STDERR ? `${paint(padded)} ${this.paintError(sep)} ` : `${paint(`${padded} ${sep}`)} `, 'utf8'),
    );
    this.prefixes.set(name, prefixes);
    return prefixes;
  }

  // A name's colour: its process type's, or bright white for the router and dyno itself.
  private paintFor(name: string, line: Pick<LogLine, 'source' | 'dyno'>): Paint {
    if (line.source === 'dyno' || !line.dyno || (line.source === 'heroku' && name === 'router')) return this.paintSystem;
    const dot = name.indexOf('.');
    const type = dot === -1 ? name : name.slice(0, dot);
    let index = this.typeIndex.get(type);
    if (index === undefined) {
      index = this.typeIndex.size;
      this.typeIndex.set(type, index);
    }
    return pickColour(index, this.level);
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
