// A mirror of dotenv 18.0.10's `fast` parser (dist/index.cjs, `parse(src, { fast: true })`) that also
// reports where each entry lies and which lines it skips, for line-numbered diagnostics. Tests check
// that its values equal dotenv's. (dotenv's default regex parser overflows the stack on multi-MB quoted
// values, so dyno uses the fast one; NODE-NOTES §3 verified they agree.)

/** One KEY=value dotenv keeps. Offsets are into the text with `\r\n?` turned into `\n`. */
export interface EnvEntry {
  key: string;
  /** Offset of the key's first character. */
  keyStart: number;
  /** `=` or `:` (YAML style). */
  separator: '=' | ':';
  /** Where the value's text starts (its opening quote, if quoted). */
  valueStart: number;
  /** Just past the value's text (past the closing quote, if quoted). */
  valueEnd: number;
  /** The quote dotenv honoured, if any. */
  quote?: '"' | "'" | '`';
  /** The first visible character of the value was a quote dotenv did not honour (unterminated, or text after it). */
  strayQuote: boolean;
  /** An unquoted value cut at `#` with no space before it (`a#b` → `a`). */
  cutAtHash: boolean;
  /** The value as dotenv returns it. */
  value: string;
}

/** A line dotenv skips that is not blank or a comment. */
export interface SkippedLine {
  /** Offset of the line's first visible character. */
  start: number;
  /** `no-key`: does not start with a key character; `no-separator`: a key without `=` or `: `. */
  reason: 'no-key' | 'no-separator';
}

export interface EnvScan {
  /** The text as dotenv sees it (`\r\n?` → `\n`). */
  text: string;
  /** Every KEY=value in order; for a repeated key the last one is what dotenv returns. */
  entries: EnvEntry[];
  skipped: SkippedLine[];
}

// dotenv's whitespace (`g`): ASCII \t–\r and space, and the Unicode spaces incl. NBSP and BOM.
const isSpace = (c: number): boolean =>
  c <= 32 ? c === 32 || (c >= 9 && c <= 13) : c >= 160 && (c === 160 || c === 5760 || (c >= 8192 && c <= 8202) || c === 8232 || c === 8233 || c === 8239 || c === 8287 || c === 12288 || c === 65279);
// dotenv's line end (`O`).
const isEol = (c: number): boolean => c === 10 || c === 8232 || c === 8233;
// dotenv's key characters: [0-9A-Za-z._-].
const isKeyChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46 || c === 95;

function toEol(t: string, o: number): number {
  while (o < t.length && !isEol(t.charCodeAt(o))) o++;
  return o;
}

/** Scan env text exactly as dotenv's fast parser does. */
export function scanEnvText(src: string): EnvScan {
  const t = src.includes('\r') ? src.replace(/\r\n?/g, '\n') : src;
  const scan: EnvScan = { text: t, entries: [], skipped: [] };
  let o = 0;
  while (o < t.length) {
    while (o < t.length && isSpace(t.charCodeAt(o))) o++;
    if (o >= t.length) break;
    if (t.charCodeAt(o) === 35) {
      o = toEol(t, o);
      continue;
    }
    o = scanEntry(t, o, scan);
  }
  return scan;
}

// From the first visible character of a line: `export`, key, separator, value. Returns the next offset.
function scanEntry(t: string, lineStart: number, scan: EnvScan): number {
  let o = lineStart;
  let afterExport = -1;
  if (t.startsWith('export', o) && o + 6 < t.length && isSpace(t.charCodeAt(o + 6))) {
    let s = o + 7;
    while (s < t.length && isSpace(t.charCodeAt(s))) s++;
    if (isKeyChar(t.charCodeAt(s))) [afterExport, o] = [o + 6, s];
  }
  const keyStart = o;
  while (o < t.length && isKeyChar(t.charCodeAt(o))) o++;
  if (o === keyStart) {
    scan.skipped.push({ start: lineStart, reason: 'no-key' });
    return toEol(t, o);
  }
  const keyEnd = o;
  while (o < t.length && isSpace(t.charCodeAt(o))) o++;
  let separator: EnvEntry['separator'] = '=';
  if (t.charCodeAt(o) === 61) o++;
  else if (t.charCodeAt(o) === 58 && o === keyEnd && o + 1 < t.length && isSpace(t.charCodeAt(o + 1))) [o, separator] = [o + 2, ':'];
  else {
    scan.skipped.push({ start: lineStart, reason: 'no-separator' });
    return toEol(t, afterExport === -1 ? keyEnd : afterExport);
  }
  const entry = scanValue(t, o);
  scan.entries.push({ key: t.slice(keyStart, keyEnd), keyStart, separator, ...entry.value });
  return entry.next;
}

type ValuePart = Omit<EnvEntry, 'key' | 'keyStart' | 'separator'>;

// The value after the separator at `d`: a quoted value if a matching quote ends it, else up to `#` or EOL.
function scanValue(t: string, d: number): { value: ValuePart; next: number } {
  let l = d;
  while (l < t.length && isSpace(t.charCodeAt(l))) l++;
  const q = t[l];
  if (q === '"' || q === "'" || q === '`') {
    const close = closingQuote(t, l, q);
    if (close) {
      let value = t.slice(l + 1, close.at);
      if (q === '"' && value.includes('\\')) value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
      const next = t.charCodeAt(close.after) === 35 ? toEol(t, close.after) : close.after;
      return { value: { valueStart: l, valueEnd: close.at + 1, quote: q, strayQuote: false, cutAtHash: false, value }, next };
    }
  }
  return scanUnquoted(t, d, l);
}

// dotenv's closing-quote search: the last candidate (quote followed by blanks then EOL or `#`) up to the first unescaped quote.
function closingQuote(t: string, l: number, q: string): { at: number; after: number } | undefined {
  let found: { at: number; after: number } | undefined;
  for (let s = t.indexOf(q, l + 1); s !== -1; s = t.indexOf(q, s + 1)) {
    const escaped = t.charCodeAt(s - 1) === 92;
    let w = s + 1;
    while (w < t.length && !isEol(t.charCodeAt(w)) && isSpace(t.charCodeAt(w))) w++;
    if (w === t.length || isEol(t.charCodeAt(w)) || t.charCodeAt(w) === 35) found = { at: s, after: w };
    if (!escaped) break;
  }
  return found;
}

// An unquoted value: from `d` to the first `#` or newline, trimmed; matching outer quotes are dropped.
function scanUnquoted(t: string, d: number, l: number): { value: ValuePart; next: number } {
  let u = t.indexOf('\n', d);
  if (u === -1) u = t.length;
  let s = t.indexOf('#', d);
  if (s === -1 || s > u) s = u;
  let f = d;
  let h = s;
  while (f < h && isSpace(t.charCodeAt(f))) f++;
  while (h > f && isSpace(t.charCodeAt(h - 1))) h--;
  const first = t.charCodeAt(f);
  let value = t.slice(f, h);
  if (value.includes('\u2028') || value.includes('\u2029')) value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
  else if (h - f >= 2 && (first === 39 || first === 34 || first === 96) && t.charCodeAt(h - 1) === first) value = t.slice(f + 1, h - 1);
  const next = s < u ? toEol(t, s) : s;
  if (t.charCodeAt(l) === 34 && l < next && value.includes('\\')) value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
  const q = t[l];
  const strayQuote = (q === '"' || q === "'" || q === '`') && l < h;
  const cutAtHash = s < u && !isSpace(t.charCodeAt(s - 1));
  return { value: { valueStart: f, valueEnd: h, strayQuote, cutAtHash, value }, next };
}
