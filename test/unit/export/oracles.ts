// Real parsers as test oracles: POSIX sh, supervisor's own config parser (python3), PyYAML and
// python-dotenv (docker-compose v1's env_file reader), systemd-analyze. All come from the Debian
// packages .ci/run installs; tests check for them with requireEngine (test/helpers/require-engine.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Run Debian's python3 (the one the supervisor and docker-compose packages use) on a JSON list of inputs; it prints a JSON list of outputs (or {"error": …} items).
export function python(script: string, inputs: unknown[]): unknown[] {
  const r = spawnSync('/usr/bin/python3', ['-c', `import json, sys\ninputs = json.load(sys.stdin)\n${script}`], { input: JSON.stringify(inputs), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`/usr/bin/python3 (Debian's, with supervisor, PyYAML, python-dotenv) failed (${r.error?.message ?? r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown[];
}

/** What POSIX sh makes of a word: `printf %s <word>`. */
export function shWord(quoted: string): string {
  const r = spawnSync('/bin/sh', ['-c', `printf '%s' ${quoted}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sh failed: ${r.stderr}`);
  return r.stdout;
}

/** What `set -a; . file` gives for `K=<value>`. */
export function shEnvFile(line: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-oracle-'));
  try {
    fs.writeFileSync(path.join(dir, 'env'), `${line}\n`);
    const r = spawnSync('/bin/sh', ['-c', 'set -a && . ./env && printf %s "$K"'], { cwd: dir, encoding: 'utf8', env: {} });
    if (r.status !== 0) throw new Error(`sh failed: ${r.stderr}`);
    return r.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** argv that supervisord builds from `command=<value>` (its UnhosedConfigParser, expand, shlex). */
export const SUPERVISORD_ARGV = `
from supervisor.options import UnhosedConfigParser, expand
import shlex
out = []
for value in inputs:
    p = UnhosedConfigParser()
    p.read_string('[program:x]\\ncommand=' + value + '\\n')
    out.append(shlex.split(expand(p.get('program:x', 'command'), {'process_num': 1}, 'command')))
print(json.dumps(out))
`;

/** PyYAML's reading of `k: <scalar>`. */
export const YAML_VALUE = `
import yaml
print(json.dumps([yaml.safe_load('k: ' + v)['k'] for v in inputs]))
`;

/** python-dotenv (compose v1's env_file reader, interpolating as compose does). */
export const DOTENV_VALUE = `
import io
from dotenv import dotenv_values
print(json.dumps([dotenv_values(stream=io.StringIO('K=' + v + '\\n'), interpolate=True).get('K') for v in inputs]))
`;

/** The executable systemd reads from `ExecStart=<word>`, as systemd-analyze verify reports it. */
export function systemdExecutable(word: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-oracle-'));
  try {
    fs.writeFileSync(path.join(dir, 'o.service'), `[Service]\nExecStart=${word}\n`);
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', path.join(dir, 'o.service')], { encoding: 'utf8' });
    if (r.error) throw r.error;
    return r.stderr;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every YAML document of each input text, as PyYAML reads them (null documents dropped). */
export const YAML_DOCUMENTS = `
import yaml
print(json.dumps([[d for d in yaml.safe_load_all(t) if d is not None] for t in inputs]))
`;
