import { test } from 'node:test';
import assert from 'node:assert/strict';
import dotenv from 'dotenv';
import { configSizeProblem, mergeEnv, parseEnvFile } from '../../../src/app/env-file.js';
import { scanEnvText } from '../../../src/app/env-scan.js';

// What our scanner says dotenv returns (last entry per key wins).
function scannedValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of scanEnvText(text).entries) out[e.key] = e.value;
  return out;
}

// NODE-NOTES §3 (verified dotenv rules): text → expected env. Checked against parseEnvFile, dotenv's
// default parser and our scanner, so a drift in any of them fails a row.
const valueRows: Array<{ name: string; text: string; env: Record<string, string> }> = [
  { name: 'BASIC=basic', text: 'BASIC=basic', env: { BASIC: 'basic' } },
  { name: 'key and value are trimmed, spaces around = allowed (`KEY = value` is ok)', text: '  LEADING_WS = spaced value   ', env: { LEADING_WS: 'spaced value' } },
  { name: '`export ` is stripped', text: 'export EXPORTED=yes', env: { EXPORTED: 'yes' } },
  { name: 'empty values', text: "EMPTY=\nEMPTY_DQ=\"\"\nD=''", env: { EMPTY: '', EMPTY_DQ: '', D: '' } },
  { name: 'single quotes are literal', text: "SINGLE='single $HOME \\n not expanded'", env: { SINGLE: 'single $HOME \\n not expanded' } },
  { name: 'double quotes expand only \\n and \\r', text: 'DOUBLE="double \\n newline \\t tab"', env: { DOUBLE: 'double \n newline \\t tab' } },
  { name: 'escaped double quotes keep their backslashes', text: 'Q="say \\"hi\\""', env: { Q: 'say \\"hi\\"' } },
  { name: 'backticks quote', text: 'BACKTICK=`back \'tick\' "both"`', env: { BACKTICK: 'back \'tick\' "both"' } },
  { name: 'multi-line values in double quotes', text: 'MULTI="line1\nline2\nline3"\nNEXT=1', env: { MULTI: 'line1\nline2\nline3', NEXT: '1' } },
  { name: 'inline comment after a space', text: 'INLINE=value # inline comment', env: { INLINE: 'value' } },
  { name: 'unquoted # starts a comment even without a space', text: 'INLINE_HASH=value#nospace', env: { INLINE_HASH: 'value' } },
  { name: 'a value starting with # is empty', text: 'E=#startshash', env: { E: '' } },
  { name: '# inside quotes is kept', text: 'QH="value # not a comment"\nS=\'a # b\'\nH="#hash"', env: { QH: 'value # not a comment', S: 'a # b', H: '#hash' } },
  { name: 'comment after a closing quote', text: 'TRAIL_DQ="x"   # comment\nL=\'a\' # c', env: { TRAIL_DQ: 'x', L: 'a' } },
  { name: 'text after the closing quote makes the value literal', text: 'D="x" y', env: { D: '"x" y' } },
  { name: 'quoted whitespace is kept', text: 'M=" spaced "', env: { M: ' spaced ' } },
  { name: 'inner spaces are kept', text: 'G=a b   c', env: { G: 'a b   c' } },
  { name: 'equals signs in the value', text: 'EQUALS=a=b=c', env: { EQUALS: 'a=b=c' } },
  { name: 'YAML style `KEY: value` is accepted', text: 'COLON: yaml style', env: { COLON: 'yaml style' } },
  { name: 'the last duplicate wins', text: 'DUP=first\nDUP=second', env: { DUP: 'second' } },
  { name: 'an unterminated quote is kept; the next line parses', text: 'UNTERMINATED="abc\nNEXT=1', env: { UNTERMINATED: '"abc', NEXT: '1' } },
  { name: "a backslash does not escape a single quote", text: "A='it\\'s'", env: { A: "it\\'s" } },
  { name: 'JSON values stay literal', text: 'JSON={"a":1}', env: { JSON: '{"a":1}' } },
  { name: 'dotenv accepts keys with . and - and a leading digit', text: 'lowercase.key-name=ok\n1NUM=x', env: { 'lowercase.key-name': 'ok', '1NUM': 'x' } },
  { name: 'a key with a space drops the line', text: 'SPACE IN KEY=bad\nOK=1', env: { OK: '1' } },
  { name: 'CRLF endings', text: 'A=1\r\nB="two"\r\n', env: { A: '1', B: 'two' } },
  { name: 'no ${VAR} expansion', text: 'BASIC=b\nEXPAND=${BASIC}_x\nDOLLAR=$BASIC', env: { BASIC: 'b', EXPAND: '${BASIC}_x', DOLLAR: '$BASIC' } },
  { name: 'a BOM before the first key is whitespace', text: '\ufeffA=1', env: { A: '1' } },
];

for (const row of valueRows) {
  test(`value: ${row.name}`, () => {
    assert.deepEqual(parseEnvFile(row.text, '.env').env, row.env);
    assert.deepEqual({ ...dotenv.parse(row.text) }, row.env, 'dotenv default parser');
    assert.deepEqual(scannedValues(row.text), row.env, 'our scanner');
  });
}

// Diagnostics: text → problems as `code@line:col`.
const lintRows: Array<{ name: string; text: string; problems: string[] }> = [
  { name: 'a clean file has no problems', text: 'A=1\n# c\n\nexport B="x y"\nC = spaced\n', problems: [] },
  { name: 'a key with spaces: dotenv drops the line', text: 'SPACE IN KEY=bad', problems: ['dropped-line@1:1'] },
  { name: 'a bad key character: dotenv drops the line', text: 'A=1\n  $FOO=bar', problems: ['dropped-line@2:3'] },
  { name: 'a bare word: dotenv drops the line', text: 'export FOO', problems: ['dropped-line@1:1'] },
  { name: 'an INI section header is dropped', text: '[section]\nA=1', problems: ['dropped-line@1:1'] },
  { name: 'unterminated quote → error (honcho crashes on multi-line)', text: 'A="abc\nB=2', problems: ['unterminated-quote@1:3'] },
  { name: 'text after a closing quote → warning', text: 'D="x" y', problems: ['text-after-quote@1:3'] },
  { name: "'it's' loses only its outer quotes: no warning", text: "A='it's'", problems: [] },
  { name: 'a quote that swallows the next assignments → warning', text: 'A="abc\nB=2\nC="\n', problems: ['quote-spans-lines@1:3'] },
  { name: 'a real multi-line value (a key) is fine', text: 'KEY="-----BEGIN-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu==\n-----END-----"', problems: [] },
  { name: 'PASSWORD=abc#123 is cut at # → warning (foreman keeps `# trailing`)', text: 'PASSWORD=abc#123', problems: ['hash-in-value@1:13'] },
  { name: 'KEY=#x is empty → warning', text: 'K=#x', problems: ['hash-in-value@1:3'] },
  { name: '`value # comment` with a space is an intended comment', text: 'K=value # comment', problems: [] },
  { name: '${VAR} is not expanded → warning', text: 'X=${A}_x', problems: ['no-expansion@1:3'] },
  { name: '$VAR is not expanded → warning', text: 'X="$HOME/bin"', problems: ['no-expansion@1:3'] },
  { name: "'$VAR' in single quotes is meant literally", text: "X='$HOME'", problems: [] },
  { name: 'a price like $5 is not a variable', text: 'X=costs $5', problems: [] },
  { name: 'config var name with a leading digit → warning', text: '1NUM=x', problems: ['config-var-name@1:1'] },
  { name: 'config var name with - → warning', text: 'MY-VAR=x', problems: ['config-var-name@1:1'] },
  { name: 'config var name with . → warning', text: 'my.var=x', problems: ['config-var-name@1:1'] },
  { name: 'config var name starting with HEROKU_ → warning', text: 'HEROKU_APP=x', problems: ['config-var-name@1:1'] },
  { name: 'config var name starting with __ → warning', text: '__X=x', problems: ['config-var-name@1:1'] },
  { name: 'duplicate keys → warning on the later one', text: 'A=1\nB=2\nA=3', problems: ['duplicate-key@3:1'] },
  { name: 'YAML-style separator → warning', text: 'A: 1', problems: ['colon-separator@1:2'] },
  { name: 'a JSON env file → warning, no dropped lines', text: '{"db": {"host": "h"}}', problems: ['json-env@1:1'] },
  { name: 'CRLF file positions are right', text: 'A=1\r\nBAD LINE\r\n', problems: ['dropped-line@2:1'] },
];

for (const row of lintRows) {
  test(`lint: ${row.name}`, () => {
    const { problems } = parseEnvFile(row.text, '.env');
    assert.deepEqual(problems.map((p) => `${p.code}@${p.line}:${p.col}`), row.problems);
  });
}

const mergeRows: Array<{ name: string; layers: Array<Record<string, string | undefined>>; env: Record<string, string> }> = [
  { name: 'a later layer wins (env file over shell)', layers: [{ A: 'shell', B: 'b' }, { A: 'file' }], env: { A: 'file', B: 'b' } },
  { name: 'a later env file wins over an earlier one', layers: [{}, { A: '1' }, { A: '2' }], env: { A: '2' } },
  { name: 'per-dyno vars win over env files', layers: [{ PORT: '1' }, { PORT: '2' }, { PORT: '5007' }], env: { PORT: '5007' } },
  { name: 'undefined in a later layer removes the key', layers: [{ A: '1', B: '2' }, { A: undefined }], env: { B: '2' } },
  { name: 'undefined in the shell is simply absent', layers: [{ A: undefined }], env: {} },
  { name: '§7 a later file without PATH keeps PATH (heroku local resets it)', layers: [{ PATH: '/usr/bin' }, { A: '1' }, { B: '2' }], env: { PATH: '/usr/bin', A: '1', B: '2' } },
];

for (const row of mergeRows) {
  test(`mergeEnv: ${row.name}`, () => assert.deepEqual(mergeEnv(row.layers), row.env));
}

test('mergeEnv does not modify its layers', () => {
  const shell = { A: '1' };
  mergeEnv([shell, { A: '2' }]);
  assert.deepEqual(shell, { A: '1' });
});

test('config vars over 64 KB in all → warning config-too-large', () => {
  assert.equal(configSizeProblem({ A: 'x'.repeat(64 * 1024 - 1) }, '.env'), undefined);
  assert.equal(configSizeProblem({ A: 'x'.repeat(64 * 1024) }, '.env')?.code, 'config-too-large');
});

test('a 10 MB quoted value does not overflow the stack', () => {
  const { env, problems } = parseEnvFile(`A="${'x'.repeat(10 * 1024 * 1024)}`, '.env');
  assert.equal(env.A?.length, 10 * 1024 * 1024 + 1);
  assert.deepEqual(problems.map((p) => p.code), ['unterminated-quote']);
  assert.ok(problems[0]!.message.length < 200);
});
