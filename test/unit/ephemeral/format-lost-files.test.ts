import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLostFiles } from '../../../src/ephemeral/format-lost-files.js';

const rows: Array<[string, string[], number, string | null]> = [
  ['nothing written: no line', [], 0, null],
  ['one file, singular', ['db.sqlite3'], 0, 'web.1: 1 file written during this run is lost on Heroku: db.sqlite3'],
  ['names sorted', ['uploads/a.png', 'db.sqlite3', 'log/x.log'], 0, 'web.1: 3 files written during this run are lost on Heroku: db.sqlite3, log/x.log, uploads/a.png'],
  ['five names then an ellipsis, the count covers all', ['a', 'b', 'c', 'd', 'e', 'f', 'g'], 0, 'web.1: 7 files written during this run are lost on Heroku: a, b, c, d, e, …'],
  ['deletions are mentioned', ['a'], 2, 'web.1: 1 file written during this run is lost on Heroku: a (and 2 deletions are undone)'],
  ['only a deletion', [], 1, 'web.1: 1 deletion is undone on Heroku at the next restart'],
];
for (const [name, written, deleted, expected] of rows) {
  test(`lost-files line: ${name}`, () => assert.equal(formatLostFiles('web.1', { written, deleted }), expected));
}
