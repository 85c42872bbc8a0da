// Real-world Procfiles and env files (../shared/corpus, see its README): the parsers never throw, and
// every line is accounted for: a type/entry, a comment or blank, or a reported problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { decodeText } from '../../../src/app/decode-text.js';
import { parseEnvFile } from '../../../src/app/env-file.js';
import { scanEnvText } from '../../../src/app/env-scan.js';
import type { Problem } from '../../../src/app/problem.js';
import { parseProcfile } from '../../../src/app/procfile.js';
import { projectRoot } from '../../helpers/run-dyno.js';

const corpus = path.resolve(projectRoot, '../shared/corpus');
const list = (dir: string) => (fs.existsSync(path.join(corpus, dir)) ? fs.readdirSync(path.join(corpus, dir)).sort().map((f) => path.join(corpus, dir, f)) : []);
const procfiles = list('procfiles');
const envFiles = list('env');
const skip = fs.existsSync(corpus) ? false : `no corpus at ${corpus}`;

// Shape checks every problem must pass.
function assertSaneProblems(problems: Problem[], lineCount: number, file: string): void {
  for (const p of problems) {
    assert.equal(p.file, file);
    assert.ok(p.line >= 0 && p.line <= lineCount, `line ${p.line} of ${lineCount}`);
    assert.ok(p.col >= 0);
    assert.ok(p.severity === 'error' || p.severity === 'warning');
    assert.match(p.code, /^[a-z0-9-]+$/);
    assert.ok(p.message.length > 0 && p.message.length < 400, p.message);
  }
}

test('the corpus is there and not empty', { skip }, () => {
  assert.ok(procfiles.length > 0, 'no Procfiles');
  assert.ok(envFiles.length > 0, 'no env files');
});

for (const file of procfiles) {
  test(`Procfile corpus: ${path.basename(file)}`, () => {
    const name = path.basename(file);
    const decoded = decodeText(fs.readFileSync(file), name);
    assert.equal(decoded.binary, false);
    const { types, problems } = parseProcfile(decoded.text, name);
    const lines = decoded.text.replace(/^\ufeff/, '').split('\n');
    assertSaneProblems(problems, lines.length, name);
    assert.equal(new Set(types.map((t) => t.name)).size, types.length, 'unique names');
    types.forEach((t, i) => {
      assert.equal(t.index, i);
      assert.match(t.name, /^[A-Za-z0-9_-]{1,128}$/);
      assert.ok(t.command.length > 0 && t.command === t.command.trim() && !t.command.includes('\n'), JSON.stringify(t.command));
    });
    const accounted = new Set([...types.map((t) => t.line), ...problems.map((p) => p.line)]);
    lines.forEach((line, i) => {
      const text = line.trim();
      if (text && !text.startsWith('#')) assert.ok(accounted.has(i + 1), `line ${i + 1} dropped silently: ${JSON.stringify(line)}`);
    });
    assert.deepEqual(parseProcfile(decoded.text, name, { strict: true }).types, types, 'strict reports, never changes the types');
  });
}

for (const file of envFiles) {
  test(`env corpus: ${path.basename(file)}`, () => {
    const name = path.basename(file);
    const decoded = decodeText(fs.readFileSync(file), name);
    assert.equal(decoded.binary, false);
    const { env, problems } = parseEnvFile(decoded.text, name);
    const scan = scanEnvText(decoded.text);
    assertSaneProblems(problems, scan.text.split('\n').length, name);
    assert.deepEqual(env, { ...dotenv.parse(decoded.text, { fast: true }) });
    assert.deepEqual(Object.fromEntries(scan.entries.map((e) => [e.key, e.value])), env, 'our scanner agrees with dotenv');
    assert.deepEqual(env, { ...dotenv.parse(decoded.text) }, "dotenv's two parsers agree on real files");
    const covered = new Set(problems.map((p) => p.line));
    const starts = [0];
    for (let i = scan.text.indexOf('\n'); i !== -1; i = scan.text.indexOf('\n', i + 1)) starts.push(i + 1);
    const lineOf = (offset: number) => starts.filter((s) => s <= offset).length;
    for (const e of scan.entries) for (let l = lineOf(e.keyStart); l <= lineOf(Math.max(e.keyStart, e.valueEnd - 1)); l++) covered.add(l);
    scan.text.split('\n').forEach((line, i) => {
      const text = line.trim();
      if (text && !text.startsWith('#')) assert.ok(covered.has(i + 1), `line ${i + 1} dropped silently: ${JSON.stringify(line)}`);
    });
  });
}

// A few files whose trouble the corpus notes describe (SOURCES.md); skipped if a file was removed.
const spotChecks: Array<[string, string, string]> = [
  ['Aditya715__Bank-Details-API__Procfile', 'no space after the colon is reported', 'no-space-after-colon'],
  ['heroku__gradle-getting-started__Procfile', 'a bare command becomes type `java`: warned', 'missing-colon'],
  ['vurudi__swiftgen-core__Procfile', 'a bare daphne line becomes type `daphne`: warned', 'missing-colon'],
  ['Alex-proktor__DjangoChat__Procfile.windows', 'web defined 5 times is reported', 'duplicate-type'],
  ['malika65__booking-system__Procfile', 'stray JavaScript is reported', 'not-an-entry'],
  ['0Upjh80d__mlops-v2__.env.sample', 'duplicate env keys are reported', 'duplicate-key'],
];

for (const [name, behaviour, code] of spotChecks) {
  const file = [...procfiles, ...envFiles].find((f) => path.basename(f) === name);
  test(`corpus spot check: ${behaviour} (${name})`, { skip: file ? false : `${name} not in the corpus` }, () => {
    const text = fs.readFileSync(file!, 'utf8');
    const problems = name.includes('Procfile') ? parseProcfile(text, name).problems : parseEnvFile(text, name).problems;
    assert.ok(problems.some((p) => p.code === code), problems.map((p) => p.code).join(', '));
  });
}
