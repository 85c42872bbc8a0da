// Remove terminal escape sequences (colours, cursor moves, OSC titles/links) from a line, for the outputs
// that are not a terminal: `--format json` and `--log-file` (issue 15 item 3). Pretty output keeps them.
// Handled: CSI `ESC [ params intermediates final`, OSC `ESC ] … BEL|ESC \`, and two-byte `ESC X`.
const ESC = 0x1b;

/** The line without ANSI escape sequences; the same Buffer when it holds none (the common case). */
export function stripAnsiBytes(bytes: Buffer): Buffer {
  let i = bytes.indexOf(ESC);
  if (i === -1) return bytes;
  const out = Buffer.allocUnsafe(bytes.length);
  let n = bytes.copy(out, 0, 0, i);
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b !== ESC) {
      out[n++] = b;
      i++;
      continue;
    }
    i = skipEscape(bytes, i);
  }
  return out.subarray(0, n);
}

// Index just past the escape sequence that starts at `i` (an ESC).
function skipEscape(bytes: Buffer, i: number): number {
  const kind = bytes[i + 1];
  if (kind === 0x5b) {
    let j = i + 2;
    while (j < bytes.length && bytes[j]! >= 0x20 && bytes[j]! <= 0x3f) j++;
    return j < bytes.length && bytes[j]! >= 0x40 && bytes[j]! <= 0x7e ? j + 1 : j;
  }
  if (kind === 0x5d) {
    for (let j = i + 2; j < bytes.length; j++) {
      if (bytes[j] === 0x07) return j + 1;
      if (bytes[j] === ESC && bytes[j + 1] === 0x5c) return j + 2;
    }
    return bytes.length;
  }
  return kind === undefined ? i + 1 : i + 2;
}

const ANSI = /\x1b(?:\[[\x20-\x3f]*[\x40-\x7e]?|\][^\x07\x1b]*(?:\x07|\x1b\\|$)|[^])?/g;

/** The text without ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}
