import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcfile } from '../../../src/app/procfile.js';

interface Row {
  name: string;
  text: string;
  strict?: boolean;
  /** Expected [type, command] pairs, in order. */
  types: Array<[string, string]>;
  /** Expected problems as `code@line`, in order (line 0 = whole file). */
  problems: string[];
}

const W = 'no-web@0';

// HEROKU.md §1.2 (every row of the table), §1.3 under strict, and §7's Procfile row, each named after the behaviour.
const rows: Row[] = [
  { name: '§1.2 `web: npm start` is type web', text: 'web: npm start\n', types: [['web', 'npm start']], problems: [] },
  { name: '§1.2 leading whitespace is allowed', text: '  web: npm start', types: [['web', 'npm start']], problems: [] },
  { name: '§1.2 a tab after the colon is whitespace', text: 'web:\tnpm start', types: [['web', 'npm start']], problems: [] },
  { name: '§1.2 `web:npm start` is dropped by Cedar → error no-space-after-colon (overmind drops it silently)', text: 'web:npm start\nworker: w', types: [['worker', 'w']], problems: ['no-space-after-colon@1', W] },
  { name: '§1.2 `web npm start` runs as web (colon optional) → warning missing-colon', text: 'web npm start', types: [['web', 'npm start']], problems: ['missing-colon@1'] },
  { name: '§1.2 `web : npm start` would run `: npm start` (a no-op) → error space-before-colon', text: 'web : npm start\nworker: w', types: [['worker', 'w']], problems: ['space-before-colon@1', W] },
  { name: '§1.2 prose without # (`run the server`) becomes type run → warnings', text: 'web: x\nrun the server', types: [['web', 'x'], ['run', 'the server']], problems: ['missing-colon@2', 'reserved-type@2'] },
  { name: '§1.2 `web:` with no command is ignored → error empty-command', text: 'web:\nworker: w', types: [['worker', 'w']], problems: ['empty-command@1', W] },
  { name: '§1.2 `web: ` (blank command) is ignored → error empty-command', text: 'web: \t \nworker: w', types: [['worker', 'w']], problems: ['empty-command@1', W] },
  { name: '§1.2 `web.api: x` is dropped (names are [A-Za-z0-9_-]) → error bad-type-name', text: 'web: a\nweb.api: x', types: [['web', 'a']], problems: ['bad-type-name@2'] },
  { name: '§1.2 `wéb: x` is dropped → error bad-type-name', text: 'web: a\nwéb: x', types: [['web', 'a']], problems: ['bad-type-name@2'] },
  { name: '§1.2 `Web: x` is a distinct type; warn it gets no traffic', text: 'Web: x', types: [['Web', 'x']], problems: ['web-case@1', W] },
  { name: '§1.2 comments and blank lines are ignored', text: '# comment\n\n   \nweb: x\n', types: [['web', 'x']], problems: [] },
  { name: '§7 heroku local breaks on an indented comment; we ignore it', text: 'web: x\n    # indented comment\n\t#tab comment', types: [['web', 'x']], problems: [] },
  { name: '§1.2 `web: npm start # note` keeps the # in the command (the shell drops it)', text: 'web: npm start # note', types: [['web', 'npm start # note']], problems: [] },
  { name: '§1.2 the same type twice → error duplicate-type (honcho errors, foreman accepts, nf keeps the last)', text: 'web: a\nweb: b', types: [['web', 'a']], problems: ['duplicate-type@2'] },
  { name: '§7 hyphenated names (`urgent-worker:`) are accepted, as Cedar does', text: 'web: a\nurgent-worker: node u.js', types: [['web', 'a'], ['urgent-worker', 'node u.js']], problems: [] },
  { name: 'underscores in names work on Cedar', text: 'web: a\nmy_worker: w', types: [['web', 'a'], ['my_worker', 'w']], problems: [] },
  { name: '§7 honcho check passes an empty file; we report no-types', text: '', types: [], problems: ['no-types@0'] },
  { name: 'only comments → no-types', text: '# web: npm start\n', types: [], problems: ['no-types@0'] },
  { name: 'CRLF line endings are normalised', text: 'web: npm start\r\nworker: node w.js\r\n', types: [['web', 'npm start'], ['worker', 'node w.js']], problems: [] },
  { name: 'trailing whitespace is trimmed from the command', text: 'web: npm start  \t', types: [['web', 'npm start']], problems: [] },
  { name: 'a lone CR (old Mac endings) joins lines → warning lone-cr', text: 'web: a\rworker: b', types: [['web', 'a\rworker: b']], problems: ['lone-cr@0'] },
  { name: 'a UTF-8 BOM hides the first line from Heroku → error bom', text: '\ufeffweb: x', types: [['web', 'x']], problems: ['bom@1'] },
  { name: 'a BOM before a comment is only a warning', text: '\ufeff# c\nweb: x', types: [['web', 'x']], problems: ['bom@1'] },
  { name: 'no web type → warning no-web', text: 'worker: w', types: [['worker', 'w']], problems: [W] },
  { name: 'release present → warning that it runs first', text: 'web: a\nrelease: migrate', types: [['web', 'a'], ['release', 'migrate']], problems: ['release@2'] },
  { name: 'type named `all` clashes with all=N → warning', text: 'web: a\nall: x', types: [['web', 'a'], ['all', 'x']], problems: ['reserved-type@2'] },
  { name: 'a name over 128 characters → error type-name-too-long', text: `web: a\n${'w'.repeat(129)}: x`, types: [['web', 'a']], problems: ['type-name-too-long@2'] },
  { name: 'a name of exactly 128 characters is fine', text: `web: a\n${'w'.repeat(128)}: x`, types: [['web', 'a'], ['w'.repeat(128), 'x']], problems: [] },
  { name: 'garbage (unrendered Jinja) → error not-an-entry', text: 'web: a\n{% if worker %}', types: [['web', 'a']], problems: ['not-an-entry@2'] },
  { name: 'stray JavaScript → error not-an-entry', text: 'web: a\n.listen(process.env.PORT || 5000)', types: [['web', 'a']], problems: ['not-an-entry@2'] },
  { name: 'a lone word → error not-an-entry', text: 'web: a\nworker', types: [['web', 'a']], problems: ['not-an-entry@2'] },
  { name: 'a URL is not an entry → no-space-after-colon', text: 'web: a\nhttp://example.com', types: [['web', 'a']], problems: ['no-space-after-colon@2'] },
  { name: 'a NBSP after the colon is not whitespace to Cedar', text: 'web:\u00a0npm start\nworker: w', types: [['worker', 'w']], problems: ['no-space-after-colon@1', W] },
  { name: 'types keep file order and index', text: 'b: 1\na: 2\nweb: 3', types: [['b', '1'], ['a', '2'], ['web', '3']], problems: [] },
  // §1.3: strict = Fir/CNB rules on top of the classic result.
  { name: 'strict: a valid Fir Procfile has no problems', strict: true, text: 'web: a\nworker-2: b', types: [['web', 'a'], ['worker-2', 'b']], problems: [] },
  { name: 'strict: `_` is corrected to `-` with a warning', strict: true, text: 'web: a\nmy_worker: b', types: [['web', 'a'], ['my_worker', 'b']], problems: ['strict-key-corrected@2'] },
  { name: 'strict: uppercase is corrected to lowercase with a warning', strict: true, text: 'web: a\nWorker: b', types: [['web', 'a'], ['Worker', 'b']], problems: ['strict-key-corrected@2'] },
  { name: 'strict: leading spaces are accepted with a warning', strict: true, text: '  web: a', types: [['web', 'a']], problems: ['strict-leading-space@1'] },
  { name: 'strict: a trailing dash is an error', strict: true, text: 'web: a\nworker-: b', types: [['web', 'a'], ['worker-', 'b']], problems: ['strict-bad-key@2'] },
  { name: 'strict: a leading dash is an error', strict: true, text: 'web: a\n-worker: b', types: [['web', 'a'], ['-worker', 'b']], problems: ['strict-bad-key@2'] },
  { name: 'strict: a name over 63 characters is an error', strict: true, text: `web: a\n${'w'.repeat(64)}: b`, types: [['web', 'a'], ['w'.repeat(64), 'b']], problems: ['strict-bad-key@2'] },
  { name: 'strict: a line without a colon is an error', strict: true, text: 'web npm start', types: [['web', 'npm start']], problems: ['missing-colon@1', 'strict-no-colon@1'] },
  { name: 'strict: `my_worker` and `my-worker` are one type on Fir → error', strict: true, text: 'web: a\nmy-worker: b\nmy_worker: c', types: [['web', 'a'], ['my-worker', 'b'], ['my_worker', 'c']], problems: ['strict-key-corrected@3', 'strict-duplicate-key@3'] },
  { name: 'strict: classic errors are not reported twice', strict: true, text: 'web: a\nweb.api: x', types: [['web', 'a']], problems: ['bad-type-name@2'] },
];

for (const row of rows) {
  test(row.name, () => {
    const { types, problems } = parseProcfile(row.text, 'Procfile', { strict: row.strict });
    assert.deepEqual(types.map((t) => [t.name, t.command]), row.types);
    assert.deepEqual(problems.map((p) => `${p.code}@${p.line}`), row.problems);
    types.forEach((t, i) => assert.equal(t.index, i));
    for (const p of problems) assert.equal(p.file, 'Procfile');
  });
}

test('types carry their 1-based line', () => {
  const { types } = parseProcfile('# c\n\nweb: a\nworker: b', 'Procfile');
  assert.deepEqual(types.map((t) => t.line), [3, 4]);
});

test('problems point at the column of the fault', () => {
  const { problems } = parseProcfile('web:npm start\n  web.api: x\nworker : w', 'Procfile');
  assert.deepEqual(problems.filter((p) => p.line > 0).map((p) => `${p.line}:${p.col}`), ['1:5', '2:6', '3:7']);
});

test('a 10,000-type Procfile parses in well under a second', () => {
  const text = Array.from({ length: 10_000 }, (_, i) => `t${i}: node w.js ${i}`).join('\n');
  const started = performance.now();
  const { types } = parseProcfile(text, 'Procfile', { strict: true });
  const ms = performance.now() - started;
  assert.equal(types.length, 10_000);
  assert.ok(ms < 500, `took ${ms.toFixed(0)} ms`);
});

test('a 10 MB line is parsed and quoted briefly in messages', () => {
  const huge = 'x'.repeat(10 * 1024 * 1024);
  const { types, problems } = parseProcfile(`web: ${huge}\n${huge} ${huge}\n${huge}`, 'Procfile');
  assert.equal(types[0]?.command.length, huge.length);
  assert.deepEqual(problems.map((p) => p.code), ['missing-colon', 'type-name-too-long', 'not-an-entry']);
  for (const p of problems) assert.ok(p.message.length < 300, p.message.slice(0, 100));
});
