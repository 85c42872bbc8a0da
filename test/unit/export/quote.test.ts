import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DynoError } from '../../../src/core/errors.js';
import {
  composeEnvValue, composeString, envFileValue, kubernetesEscape, shellQuote, supervisordCommand, supervisordValue, systemdPath, systemdWord, yamlString,
} from '../../../src/export/quote.js';
import { engineTable, hasEngine, requireEngine } from '../../helpers/require-engine.js';
import { DOTENV_VALUE, SUPERVISORD_ARGV, YAML_VALUE, python, shEnvFile, shWord, systemdExecutable } from './oracles.js';

// One python3 run for a whole table, made by the first test that needs it (after its engine check).
function once<T>(make: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: make() }).v;
}

// Values that broke other exporters (HEROKU.md §7: nf does not escape; foreman's systemd drops what follows `;`).
const NASTY: Array<[string, string]> = [
  ['a semicolon (foreman systemd dropped the rest)', 'echo a; echo b'],
  ['&& between commands', 'make && make test'],
  ['a single quote', "it's"],
  ['double quotes', 'say "hi" ""'],
  ['dollars: $VAR, ${VAR}, $$, $(cmd)', 'echo $HOME ${PATH} $$ $(id) $'],
  ['percent signs and specifiers', '100% %n %% %(here)s'],
  ['backslashes', 'C:\\dir\\ \\n \\'],
  ['hashes after spaces (INI inline comments)', 'a #b ;c'],
  ['unicode, astral and the YAML 1.1 line separator', 'ünïcødé ☃ 𝄞 \u2028 \u0085 \ufeff'],
  ['tab and carriage return', 'a\tb\rc'],
  ['backquotes', '`id`'],
  ['leading and trailing spaces', '  padded  '],
  ['the empty string', ''],
  ['a word that looks like YAML: yes', 'yes'],
  ['a word that looks like a number', '0x1F'],
];
const WITH_NEWLINE: Array<[string, string]> = [['a newline', 'line1\nline2'], ['only a newline', '\n']];

for (const [name, value] of [...NASTY, ...WITH_NEWLINE]) {
  test(`shellQuote: sh reads back ${name}`, () => {
    if (value === '') assert.equal(shellQuote(value), "''");
    else assert.equal(shWord(shellQuote(value)), value);
  });
  test(`envFileValue: sh \`set -a; .\` reads back ${name}`, () => {
    assert.equal(shEnvFile(`K=${envFileValue(value)}`), value);
  });
}

test('envFileValue: single quotes unless the value has one, then double quotes with \\ " $ ` escaped', () => {
  assert.equal(envFileValue('a $b "c"'), `'a $b "c"'`);
  assert.equal(envFileValue(`it's $x \\ "q" \`y\``), `"it's \\$x \\\\ \\"q\\" \\\`y\\\`"`);
});

const SUPERVISORD_ROWS = NASTY.filter(([, v]) => v !== '' && !/[\r\n]/.test(v));
const supervisordArgv = once(() => python(SUPERVISORD_ARGV, SUPERVISORD_ROWS.map(([, v]) => supervisordCommand(['/bin/sh', '-c', v, { expanded: '%(process_num)d' }]))));
engineTable('supervisord', "supervisordCommand: supervisor's parser reads back each value", () =>
  SUPERVISORD_ROWS.forEach(([name, value], i) => {
    test(`supervisordCommand: supervisor's parser (INI comments, % expansion, shlex) reads back ${name}`, (t) => {
      if (!requireEngine(t, 'supervisord')) return;
      assert.deepEqual(supervisordArgv()[i], ['/bin/sh', '-c', value, '1']);
    });
  }));

for (const [name, value] of [...NASTY, ...WITH_NEWLINE].filter(([, v]) => /[\r\n]/.test(v))) {
  test(`supervisordCommand and supervisordValue refuse ${name} (INI is line-based)`, () => {
    assert.throws(() => supervisordCommand([value]), (e: unknown) => e instanceof DynoError && e.code === 'USAGE');
    assert.throws(() => supervisordValue(value), (e: unknown) => e instanceof DynoError && e.code === 'USAGE');
  });
}

test('supervisordValue: % doubled; " ;" would start a comment, so it is refused', () => {
  assert.equal(supervisordValue('/srv/100%/app'), '/srv/100%%/app');
  assert.throws(() => supervisordValue('/srv/a ;b'), (e: unknown) => e instanceof DynoError && e.code === 'USAGE');
});

const ALL = [...NASTY, ...WITH_NEWLINE];
const yamlRead = once(() => python(YAML_VALUE, ALL.map(([, v]) => yamlString(v))));
engineTable('pyyaml', 'yamlString: PyYAML (YAML 1.1) reads back each value', () =>
  ALL.forEach(([name, value], i) => {
    test(`yamlString: PyYAML (YAML 1.1) reads back ${name}`, (t) => {
      if (!requireEngine(t, 'pyyaml')) return;
      assert.equal(yamlRead()[i], value);
    });
  }));

test('yamlString escapes what YAML 1.1 would fold (U+2028, NEL) and the BOM', () => {
  assert.equal(yamlString('a\u2028b\u0085c\ufeff'), '"a\\u2028b\\u0085c\\ufeff"');
});

test('composeString doubles every $ (compose interpolates $VAR and ${VAR} everywhere)', () => {
  assert.equal(composeString('echo $PORT ${X} $$'), '"echo $$PORT $${X} $$$$"');
});

test('kubernetesEscape doubles every $ (kubelet expands $(VAR) and reduces $$)', () => {
  assert.equal(kubernetesEscape('echo $(PORT) $$ $HOME'), 'echo $$(PORT) $$$$ $$HOME');
});

// compose v1's reader on everything composeEnvValue accepts; the rest must be refused with USAGE.
const composeRows = ALL.map(([name, value]) => {
  try {
    return { name, value, quoted: composeEnvValue('K', value) };
  } catch (err) {
    return { name, value, error: err };
  }
});
const dotenvRead = once(() => python(DOTENV_VALUE, composeRows.map((r) => r.quoted ?? "''")));
// Without docker-compose's python-dotenv only the refusals run here, and one line says what was skipped.
const withDotenv = hasEngine('docker-compose') || process.env.CI === 'true';
if (!withDotenv) engineTable('docker-compose', 'composeEnvValue: python-dotenv reads back each accepted value', () => undefined);
composeRows.forEach((row, i) => {
  if (!row.error && !withDotenv) return;
  test(`composeEnvValue: ${row.error ? 'refuses' : 'python-dotenv reads back'} ${row.name}`, (t) => {
    if (row.error) {
      assert.ok(row.error instanceof DynoError && row.error.code === 'USAGE');
      assert.ok(row.value.includes('${') || (row.value.includes('$') && /['\\]/.test(row.value)), `refused without reason: ${JSON.stringify(row.value)}`);
    } else if (requireEngine(t, 'docker-compose')) {
      assert.equal(dotenvRead()[i], row.value);
    }
  });
});

test('composeEnvValue: plain values are single-quoted, quotes without $ double-quoted', () => {
  assert.equal(composeEnvValue('K', 'a b; c'), `'a b; c'`);
  assert.equal(composeEnvValue('K', `it's "x"\n`), `"it's \\"x\\"\\n"`);
});

// systemd-analyze verify reports the executable it decoded; `$` is not special there, so rows without it.
engineTable('systemd-analyze', 'systemdWord: systemd reads back each value', () => {
  for (const [name, value] of [...NASTY, ...WITH_NEWLINE].filter(([, v]) => !v.includes('$') && v !== '' && !v.includes('\r'))) {
    test(`systemdWord: systemd reads back ${name}`, (t) => {
      if (!requireEngine(t, 'systemd-analyze')) return;
      const exe = `/nonexistent/${value}`;
      const report = systemdExecutable(systemdWord(exe, { dollar: false }));
      assert.ok(report.includes(exe), `systemd-analyze did not report ${JSON.stringify(exe)}:\n${report}`);
    });
  }
});

test('systemdWord: a raw specifier is expanded by systemd (the oracle can fail)', (t) => {
  if (!requireEngine(t, 'systemd-analyze')) return;
  assert.ok(!systemdExecutable('"/nonexistent/100%n"').includes('/nonexistent/100%n'));
});

test('systemdWord with dollar doubles $ (ExecStart expands $VAR) and % (specifiers)', () => {
  assert.equal(systemdWord('echo $PORT 100% "x"\n', { dollar: true }), '"echo $$PORT 100%% \\"x\\"\\n"');
  assert.equal(systemdWord('A=$x', { dollar: false }), '"A=$x"');
});

test('systemdPath doubles % and refuses line breaks', () => {
  assert.equal(systemdPath('/srv/100%'), '/srv/100%%');
  assert.throws(() => systemdPath('/srv/a\nb'), (e: unknown) => e instanceof DynoError && e.code === 'USAGE');
});
