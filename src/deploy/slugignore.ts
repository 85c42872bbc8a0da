// `.slugignore` (HEROKU-DEPLOY.md §5): "roughly the same as .gitignore", root only, no `!` negation.
// Pure: text → a matcher of relative paths. `*.psd`, `/test`, `docs/`, `**/tmp`, `# comment`.

/** True when the relative path (with `/`) is removed before the build. */
export type SlugMatcher = (rel: string, isDir: boolean) => boolean;

// One glob → a RegExp over a whole path segment sequence.
function globToRegExp(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += /[.+^${}()|[\]\\]/.test(c) ? `\\${c}` : c;
  }
  return out;
}

/** Parse `.slugignore`; negated lines are ignored, as Heroku ignores them. */
export function parseSlugignore(text: string): SlugMatcher {
  const rules: Array<{ re: RegExp; dirOnly: boolean }> = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/\s+$/, '');
    if (!line || line.startsWith('#') || line.startsWith('!')) continue;
    const dirOnly = line.endsWith('/');
    if (dirOnly) line = line.slice(0, -1);
    const anchored = line.startsWith('/') || line.slice(0, -1).includes('/');
    if (line.startsWith('/')) line = line.slice(1);
    const body = globToRegExp(line);
    rules.push({ re: new RegExp(anchored ? `^${body}$` : `(?:^|/)${body}$`), dirOnly });
  }
  return (rel, isDir) => rules.some((r) => (!r.dirOnly || isDir) && r.re.test(rel));
}
