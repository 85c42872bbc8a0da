// Bytes of a Procfile or env file → text, with a problem for anything that is not plain UTF-8 text.
import type { Problem } from './problem.js';

export interface DecodedText {
  /** The text (a UTF-8 BOM is kept: each parser decides what it means). */
  text: string;
  /** Errors about the encoding: UTF-16, NUL bytes, invalid UTF-8. */
  problems: Problem[];
  /** True when the bytes are not text at all (NUL bytes); parsers should not be run on it. */
  binary: boolean;
}

// 1-based line and column of a UTF-16 offset in `text`.
function position(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

// Decode, reporting UTF-16 (Windows PowerShell's `>` writes it), NUL bytes and invalid UTF-8.
export function decodeText(bytes: Uint8Array, file: string): DecodedText {
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  if (le || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const text = new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(bytes);
    const problem: Problem = {
      file, line: 0, col: 0, severity: 'error', code: 'utf16',
      message: 'file is UTF-16 encoded; Heroku reads Procfiles and config as UTF-8, so it would find nothing in it',
      hint: `re-save it as UTF-8 (e.g. \`iconv -f UTF-16 -t UTF-8\`); PowerShell's \`>\` writes UTF-16`,
    };
    return { text, problems: [problem], binary: false };
  }
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const nul = text.indexOf('\0');
  if (nul !== -1) {
    const at = position(text, nul);
    const problem: Problem = { file, ...at, severity: 'error', code: 'binary', message: 'not a text file (NUL byte)' };
    return { text, problems: [problem], binary: true };
  }
  return { text, problems: invalidUtf8(bytes, text, file), binary: false };
}

// A problem at the first replacement character when the bytes are not valid UTF-8.
function invalidUtf8(bytes: Uint8Array, text: string, file: string): Problem[] {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return [];
  } catch {
    const at = position(text, Math.max(0, text.indexOf('\ufffd')));
    return [{
      file, ...at, severity: 'error', code: 'invalid-utf8',
      message: 'invalid UTF-8 (bytes shown as \ufffd)', hint: 're-save the file as UTF-8',
    }];
  }
}
