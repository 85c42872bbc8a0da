// `.foreman`: foreman's defaults file (YAML-ish `key: value` lines) in the app directory. Its values
// are defaults for the flags: flags > .foreman > built-in. Keys: procfile, env, port, formation
// (foreman's older name: concurrency), timeout, root. Any other key is an error naming file:line.
import fs from 'node:fs';
import path from 'node:path';
import { DynoError } from '../core/errors.js';

/** The defaults a `.foreman` file gives. */
export interface ForemanDefaults {
  root?: string;
  procfile?: string;
  env?: string[];
  port?: string;
  formation?: string[];
  timeout?: string;
}

const KEYS: Record<string, keyof ForemanDefaults> = { root: 'root', procfile: 'procfile', env: 'env', port: 'port', formation: 'formation', concurrency: 'formation', timeout: 'timeout' };

// `"a b"` / `'a b'` → a b; anything else is trimmed as is.
function unquote(value: string): string {
  const m = /^(["'])(.*)\1$/.exec(value);
  return m ? m[2]! : value;
}

/** Parse `.foreman` text; `file` names it in errors. Blank lines, `---` and `#` comments are skipped. */
export function parseForemanDefaults(text: string, file: string): ForemanDefaults {
  const out: ForemanDefaults = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line || line === '---') return;
    const m = /^:?([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (!m) throw new DynoError('USAGE', `${file}:${i + 1}: expected "key: value", got ${JSON.stringify(raw.trim())}`);
    const key = KEYS[m[1]!.toLowerCase()];
    if (!key) throw new DynoError('USAGE', `${file}:${i + 1}: unsupported key ${JSON.stringify(m[1])}`, { hint: `dyno reads ${Object.keys(KEYS).join(', ')}` });
    const value = unquote(m[2]!.trim());
    if (value === '') return;
    if (key === 'env' || key === 'formation') out[key] = value.split(',').map((v) => v.trim()).filter(Boolean);
    else out[key] = value;
  });
  return out;
}

/** Read `<dir>/.foreman` if it exists ({} when not). */
export function loadForemanDefaults(dir: string): ForemanDefaults {
  const file = path.join(dir, '.foreman');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new DynoError('USAGE', `cannot read .foreman: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseForemanDefaults(text, '.foreman');
}

/** What a command's options look like to applyForemanDefaults: the same fields `.foreman` can give. */
type DefaultableOptions = ForemanDefaults;

/**
 * Fill options the user did not give from `.foreman` (in -d, else `cwd`). `givenByUser(name)` tells a
 * flag typed on the command line from a commander default (`--timeout 5`); `hasFormationArgs`: the
 * positional formation counts as given. Mutates and returns `opts`.
 */
export function applyForemanDefaults<T extends DefaultableOptions>(opts: T, o: { cwd: string; givenByUser(name: string): boolean; hasFormationArgs?: boolean; keys?: Array<keyof ForemanDefaults> }): T {
  const all = loadForemanDefaults(opts.root !== undefined ? path.resolve(o.cwd, opts.root) : o.cwd);
  const d = o.keys ? Object.fromEntries(Object.entries(all).filter(([k]) => o.keys!.includes(k as keyof ForemanDefaults))) as ForemanDefaults : all;
  if (opts.root === undefined && d.root !== undefined) opts.root = d.root;
  if (opts.procfile === undefined && d.procfile !== undefined) opts.procfile = d.procfile;
  if (opts.env === undefined && d.env !== undefined) opts.env = d.env;
  if (opts.port === undefined && d.port !== undefined) opts.port = d.port;
  if (opts.formation === undefined && !o.hasFormationArgs && d.formation !== undefined) opts.formation = d.formation;
  if ('timeout' in opts && !o.givenByUser('timeout') && d.timeout !== undefined) opts.timeout = d.timeout;
  return opts;
}
