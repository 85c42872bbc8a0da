// How to name a file in messages: relative to the current directory when inside it, else absolute.
import path from 'node:path';

export function shownPath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
