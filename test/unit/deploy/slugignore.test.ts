import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSlugignore } from '../../../src/deploy/slugignore.js';

const rows: Array<[string, string, string, boolean, boolean]> = [
  ['a basename glob matches at any depth', '*.psd', 'art/logo.psd', false, true],
  ['a basename glob does not match other extensions', '*.psd', 'art/logo.png', false, false],
  ['a leading slash anchors at the root', '/test', 'test', true, true],
  ['an anchored name does not match deeper', '/test', 'lib/test', true, false],
  ['a trailing slash matches directories only', 'docs/', 'docs', false, false],
  ['a trailing slash matches the directory', 'docs/', 'docs', true, true],
  ['a path with a slash is anchored', 'spec/fixtures', 'spec/fixtures', true, true],
  ['** spans directories', '**/tmp', 'a/b/tmp', true, true],
  ['comments are ignored', '# *.js', 'web.js', false, false],
  ['negation is not supported (Heroku ignores it)', '*.md\n!README.md', 'README.md', false, true],
  ['dots are literal', '*.min.js', 'app.minxjs', false, false],
];
for (const [name, text, rel, isDir, expected] of rows) {
  test(`.slugignore: ${name}`, () => assert.equal(parseSlugignore(text)(rel, isDir), expected));
}
