import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynoError } from '../../../src/core/errors.js';
import { applyForemanDefaults, parseForemanDefaults } from '../../../src/cli/foreman-defaults.js';
import { formatSizeName } from '../../../src/cli/formation-sizes.js';
import { tempApp } from '../../helpers/temp-app.js';

const rows: Array<{ name: string; text: string; want?: object; error?: RegExp }> = [
  { name: 'foreman keys as key: value lines', text: 'procfile: Procfile.dev\nport: 3000\ntimeout: 10\n', want: { procfile: 'Procfile.dev', port: '3000', timeout: '10' } },
  { name: 'env and formation are comma lists', text: 'env: .env,.env.local\nformation: web=2,worker=1\n', want: { env: ['.env', '.env.local'], formation: ['web=2', 'worker=1'] } },
  { name: "foreman's older `concurrency` means formation", text: 'concurrency: web=1\n', want: { formation: ['web=1'] } },
  { name: 'YAML niceties: ---, comments, quotes, :symbol keys, CRLF', text: '---\r\n# defaults\r\n:port: "5100" # dev\r\nprocfile: \'Procfile.dev\'\r\n', want: { port: '5100', procfile: 'Procfile.dev' } },
  { name: 'an empty value is no default', text: 'port:\n', want: {} },
  { name: 'an unknown key is an error naming file:line', text: 'port: 1\ncolor: never\n', error: /^\.foreman:2: unsupported key "color"$/ },
  { name: 'a line that is not key: value is an error naming file:line', text: 'web=2\n', error: /^\.foreman:1: expected "key: value", got "web=2"$/ },
];

for (const row of rows) {
  test(`.foreman: ${row.name}`, () => {
    if (row.want) return assert.deepEqual(parseForemanDefaults(row.text, '.foreman'), row.want);
    assert.throws(() => parseForemanDefaults(row.text, '.foreman'), (err: DynoError) => err.code === 'USAGE' && row.error!.test(err.message));
  });
}

test('flags win over .foreman, .foreman over built-in defaults (a commander default is not a flag)', () => {
  const app = tempApp({ '.foreman': 'procfile: Procfile.dev\nport: 5100\ntimeout: 9\nformation: web=2\nenv: a.env\n' });
  try {
    const fromFile = applyForemanDefaults({ timeout: '5' } as { timeout: string; procfile?: string; port?: string; formation?: string[]; env?: string[] }, { cwd: app.dir, givenByUser: () => false });
    assert.deepEqual(fromFile, { timeout: '9', procfile: 'Procfile.dev', port: '5100', formation: ['web=2'], env: ['a.env'] });
    const flags = applyForemanDefaults({ timeout: '2', procfile: 'P', port: '6000', formation: ['web=1'], env: ['b.env'] }, { cwd: app.dir, givenByUser: (n) => n === 'timeout' });
    assert.deepEqual(flags, { timeout: '2', procfile: 'P', port: '6000', formation: ['web=1'], env: ['b.env'] });
    const positional = applyForemanDefaults({} as { formation?: string[] }, { cwd: app.dir, givenByUser: () => false, hasFormationArgs: true, keys: ['formation'] });
    assert.deepEqual(positional, {});
  } finally {
    app.cleanup();
  }
});

test("Heroku's size spelling: Standard-1X, Performance-M, Eco", () => {
  assert.deepEqual(['standard-1x', 'standard-2x', 'performance-m', 'eco', 'basic'].map(formatSizeName), ['Standard-1X', 'Standard-2X', 'Performance-M', 'Eco', 'Basic']);
});
