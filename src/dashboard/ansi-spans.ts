// An app's ANSI colour codes (SGR: `\x1b[31m`, 256 colours, truecolor, bold…) → text runs with their
// style, for the dashboard's log tail. The page builds one <span> per run with textContent and CSS
// properties only: text from an app is never HTML. Other escape sequences (cursor moves, OSC titles)
// are dropped. Self-contained (no outer references): the page script embeds its source.

/** One run of text with the style the codes before it set. */
export interface AnsiSpan {
  text: string;
  /** CSS colour `#rrggbb`. */
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
}

/** Split `text` into styled runs; a text without escapes is one run with no style. */
export function parseAnsiSpans(text: string): AnsiSpan[] {
  // A dark-theme terminal's 16 colours (the dashboard's css-colours.ts uses the same ones).
  const BASE = ['#000000', '#cd3131', '#0dbc79', '#e5e510', '#2472c8', '#bc3fbc', '#11a8cd', '#e5e5e5',
    '#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff'];
  const hex = (n: number): string => Math.max(0, Math.min(255, n | 0)).toString(16).padStart(2, '0');
  const rgb = (r: number, g: number, b: number): string => '#' + hex(r) + hex(g) + hex(b);
  const cube = [0, 95, 135, 175, 215, 255];
  const c256 = (n: number): string | undefined => {
    if (!(n >= 0 && n <= 255)) return undefined;
    if (n < 16) return BASE[n];
    if (n < 232) return rgb(cube[Math.floor((n - 16) / 36)]!, cube[Math.floor((n - 16) / 6) % 6]!, cube[(n - 16) % 6]!);
    const grey = 8 + (n - 232) * 10;
    return rgb(grey, grey, grey);
  };
  const spans: AnsiSpan[] = [];
  let style: Omit<AnsiSpan, 'text'> = {};
  // Apply one SGR parameter list to the current style.
  const apply = (params: number[]): void => {
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const next = { ...style };
      if (p === 0) style = {};
      else if (p === 1) style = { ...next, bold: true };
      else if (p === 2) style = { ...next, dim: true };
      else if (p === 3) style = { ...next, italic: true };
      else if (p === 4) style = { ...next, underline: true };
      else if (p === 22) style = { ...next, bold: undefined, dim: undefined };
      else if (p === 23) style = { ...next, italic: undefined };
      else if (p === 24) style = { ...next, underline: undefined };
      else if (p >= 30 && p <= 37) style = { ...next, fg: BASE[p - 30] };
      else if (p >= 90 && p <= 97) style = { ...next, fg: BASE[p - 82] };
      else if (p >= 40 && p <= 47) style = { ...next, bg: BASE[p - 40] };
      else if (p >= 100 && p <= 107) style = { ...next, bg: BASE[p - 92] };
      else if (p === 39) style = { ...next, fg: undefined };
      else if (p === 49) style = { ...next, bg: undefined };
      else if ((p === 38 || p === 48) && params[i + 1] === 5) {
        style = { ...next, [p === 38 ? 'fg' : 'bg']: c256(params[i + 2]!) };
        i += 2;
      } else if ((p === 38 || p === 48) && params[i + 1] === 2) {
        style = { ...next, [p === 38 ? 'fg' : 'bg']: rgb(params[i + 2]!, params[i + 3]!, params[i + 4]!) };
        i += 4;
      }
    }
  };
  const push = (chunk: string): void => {
    if (!chunk) return;
    const clean: AnsiSpan = { text: chunk };
    for (const [k, v] of Object.entries(style)) if (v !== undefined) (clean as unknown as Record<string, unknown>)[k] = v;
    spans.push(clean);
  };
  // CSI … final byte, OSC … BEL/ST, or a lone two-byte escape.
  const ESC = /\u001b(?:\[([0-9;:]*)([@-~])|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_]?)|\u009b([0-9;]*)([@-~])/g;
  let last = 0;
  for (let m = ESC.exec(text); m; m = ESC.exec(text)) {
    push(text.slice(last, m.index));
    last = ESC.lastIndex;
    const final = m[2] ?? m[4];
    const params = m[1] ?? m[3];
    if (final === 'm') apply((params ?? '').split(/[;:]/).map((s) => (s === '' ? 0 : Number(s))));
  }
  push(text.slice(last));
  return spans;
}
