// Quoting for every export target. Each function states the parser it writes for; the unit tests
// hold `;`, `&&`, quotes, `$`, `%`, newlines and unicode against each (HEROKU.md §7: nf did not
// escape at all, foreman's systemd `exec -a` dropped everything after `;`).
import { DynoError } from '../core/errors.js';

/** Characters a POSIX shell word may hold unquoted. */
const SHELL_SAFE = /^[A-Za-z0-9_./:=@+,-]+$/;

/** One POSIX shell word: `it's` → `'it'\''s'`; safe words stay bare; '' for the empty string. */
export function shellQuote(word: string): string {
  if (SHELL_SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A value for a `KEY=value` env file that POSIX `sh` (`set -a; . file`) and systemd's EnvironmentFile=
 * read identically: single quotes when the value has none (literal in both), else double quotes with
 * `\`, `"`, `$` and backquote escaped (the escapes both parsers know). Newlines stay inside the quotes.
 */
export function envFileValue(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;
}

// Control characters as C escapes (systemd's unquoting understands \n, \t, \xNN).
function cEscape(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * One word of a systemd unit setting that splits and unquotes words (ExecStart=, Environment=):
 * double-quoted, C escapes for `\`, `"` and control characters, `%` doubled (specifiers). With
 * `dollar` (ExecStart=), `$` is doubled too, because systemd expands `$VAR` there itself.
 */
export function systemdWord(word: string, o: { dollar: boolean }): string {
  // eslint-disable-next-line no-control-regex
  let body = word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\x00-\x1f\x7f]/g, cEscape).replace(/%/g, '%%');
  if (o.dollar) body = body.replace(/\$/g, '$$$$');
  return `"${body}"`;
}

/** A systemd setting that takes the rest of the line verbatim (WorkingDirectory=, EnvironmentFile=): `%` doubled; no line breaks. */
export function systemdPath(value: string): string {
  refuseLineBreaks(value, 'a systemd path');
  return value.replace(/%/g, '%%');
}

/** Throw when a value would break out of its line in a line-based file. */
export function refuseLineBreaks(value: string, what: string): void {
  if (/[\r\n]/.test(value)) {
    throw new DynoError('USAGE', `${JSON.stringify(value)} cannot be used as ${what}: it contains a line break`);
  }
}

/**
 * A supervisord `command=` value from argv words. supervisord reads INI with `;` and `#` starting an
 * inline comment after whitespace, expands `%(name)s` (so `%` is doubled), then splits with Python's
 * shlex (POSIX rules). Each word is single-quoted; `;` and `#` are written outside the quotes as `\;`
 * and `\#`, so no whitespace ever precedes them. Words already holding supervisord expansions are
 * passed in `expanded` and written as they are.
 */
export function supervisordCommand(words: ReadonlyArray<string | { expanded: string }>): string {
  return words
    .map((word) => {
      if (typeof word !== 'string') return word.expanded;
      refuseLineBreaks(word, 'a supervisord command');
      const quoted = `'${word.replace(/'/g, `'\\''`).replace(/[;#]/g, (c) => `'\\${c}'`)}'`;
      return quoted.replace(/%/g, '%%');
    })
    .join(' ');
}

/** A supervisord value that is not split into words (directory=, user=): `%` doubled, one line. */
export function supervisordValue(value: string): string {
  refuseLineBreaks(value, 'a supervisord setting');
  if (/(^|\s)[;#]/.test(value)) {
    throw new DynoError('USAGE', `${JSON.stringify(value)} cannot be used as a supervisord setting: " ;" or " #" would start a comment`);
  }
  return value.replace(/%/g, '%%');
}

// What JSON.stringify leaves raw but a YAML 1.1 double-quoted scalar must not hold: DEL and C1
// controls (NEL is a YAML 1.1 line break), the line and paragraph separators, and the BOM.
const YAML_UNSAFE = /[\x7f-\x9f\u2028\u2029\ufeff]/g;

/** A YAML double-quoted scalar (valid YAML 1.1 and 1.2): JSON escapes plus \uXXXX for what YAML 1.1 would fold or reject. */
export function yamlString(value: string): string {
  return JSON.stringify(value).replace(YAML_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A string in a docker-compose file: compose interpolates `$VAR` in every value, `$$` is a literal `$`. */
export function composeString(value: string): string {
  return yamlString(value.replace(/\$/g, '$$$$'));
}

/** A Kubernetes container command/args word: kubelet expands `$(VAR)` and reduces `$$` to `$`, so every `$` is doubled. */
export function kubernetesEscape(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

/**
 * A value in a docker-compose `env_file`, read the same by compose v1 (python-dotenv, which expands
 * `${VAR}` even in single quotes and decodes `\\` and `\'` there) and v2 (compose-go, which keeps single
 * quotes literal and expands `$VAR` in double quotes): single quotes when the value has no `'` or `\`;
 * double quotes (escaping `\`, `"`, newline) when it has no `$`; anything else has no common form.
 */
export function composeEnvValue(key: string, value: string): string {
  const refuse = (why: string): DynoError =>
    new DynoError('USAGE', `${key} cannot be written to a docker-compose env_file: ${why}`, {
      hint: 'change the value, or set it in the compose file yourself',
    });
  if (value.includes('${')) throw refuse('docker-compose would expand "${" in it');
  if (!/['\\]/.test(value)) return `'${value}'`;
  if (value.includes('$')) throw refuse("a value with \"$\" and a quote or backslash is read differently by compose v1 and v2");
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}
