import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { DynoError } from '../../../src/core/errors.js';
import { addAppOptions, addFormationOption, collectList, toLoadAppOptions, type AppOptions } from '../../../src/cli/options.js';

// Parse argv with a throwaway command carrying the shared options.
function parse(argv: string[]): AppOptions & { formation?: string[] } {
  const cmd = new Command('x').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  addAppOptions(cmd);
  addFormationOption(cmd);
  cmd.parse(argv, { from: 'user' });
  return cmd.opts();
}

const rows: Array<{ name: string; argv: string[]; opts: AppOptions & { formation?: string[] } }> = [
  { name: 'no options, no defaults (the loader decides)', argv: [], opts: {} },
  { name: '-d, -f, -p as given', argv: ['-d', '/tmp', '-f', 'Procfile.dev', '-p', '4000'], opts: { root: '/tmp', procfile: 'Procfile.dev', port: '4000' } },
  { name: 'long forms', argv: ['--root', '/', '--procfile', 'P', '--port', '1'], opts: { root: '/', procfile: 'P', port: '1' } },
  { name: '-e comma list', argv: ['-e', '.env,.env.local'], opts: { env: ['.env', '.env.local'] } },
  { name: '-e repeated and comma lists accumulate in order', argv: ['-e', 'a.env,b.env', '--env', 'c.env', '-e=d.env'], opts: { env: ['a.env', 'b.env', 'c.env', '=d.env'] } },
  { name: '-m repeated accumulates', argv: ['-m', 'web=2', '-m', 'worker=1,clock=0'], opts: { formation: ['web=2', 'worker=1', 'clock=0'] } },
  { name: '§7 `-f Procfile.dev` is the Procfile (nf reads it as a proxy flag)', argv: ['-f', 'Procfile.dev'], opts: { procfile: 'Procfile.dev' } },
];

for (const row of rows) test(row.name, () => assert.deepEqual(parse(row.argv), row.opts));

test('-p has no commander default, so the precedence can see it is absent', () => {
  assert.equal(parse([]).port, undefined);
});

test('collectList splits, trims and drops empties; a value with no item is a usage error', () => {
  assert.deepEqual(collectList(' a , ,b ', undefined), ['a', 'b']);
  assert.deepEqual(collectList('c', ['a']), ['a', 'c']);
  for (const empty of ['', ' ', ',', ' , ']) assert.throws(() => collectList(empty, undefined), (err: unknown) => err instanceof DynoError && err.code === 'USAGE');
});

test('-d must be an existing directory, -p must not be blank: one USAGE error each', () => {
  for (const argv of [['-d', '/nonexistent-dyno-dir'], ['-d', '/etc/hostname'], ['-d', ''], ['-p', ''], ['-p', ' '], ['-f', '']]) {
    assert.throws(() => parse(argv), (err: unknown) => err instanceof DynoError && err.code === 'USAGE', argv.join(' '));
  }
});

test('toLoadAppOptions maps the flags onto the loader', () => {
  assert.deepEqual(toLoadAppOptions({ root: 'd', procfile: 'f', env: ['e'], port: '1' }, { cwd: '/w', shellEnv: { A: '1' } }), {
    cwd: '/w', root: 'd', procfile: 'f', envFiles: ['e'], shellEnv: { A: '1' },
  });
});
