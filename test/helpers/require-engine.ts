// System engines some tests need (a browser, the real supervisord, docker-compose, systemd-analyze,
// qemu). On a machine without one, each such test skips with one line naming the Debian package to
// install; under CI=true (.ci/run installs them all) a missing engine fails the test instead.
//   test('…', (t) => { if (!requireEngine(t, 'supervisord')) return; … });
//   engineTable('pyyaml', 'yamlString: PyYAML reads back', () => rows.forEach(…test…));
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';

/** What an engine is and how to get it. */
interface Engine {
  /** Shown in the skip line, e.g. `supervisord`. */
  what: string;
  /** The Debian packages to install. */
  packages: string;
  present(): boolean;
}

// An executable of that name on PATH (or the absolute path itself).
function onPath(name: string): boolean {
  if (path.isAbsolute(name)) return isExecutable(name);
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && isExecutable(path.join(dir, name)));
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

// Debian's python3 can import every module named.
function pythonHas(...modules: string[]): boolean {
  const r = spawnSync('/usr/bin/python3', ['-c', modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore' });
  return r.status === 0;
}

const AARCH64_SYSROOT = '/usr/aarch64-linux-gnu/lib';

/** Every engine the suite uses. */
export const ENGINES = {
  chromium: { what: '/usr/bin/chromium', packages: 'chromium', present: () => isExecutable('/usr/bin/chromium') },
  supervisord: { what: 'supervisord (and its python3 module)', packages: 'supervisor', present: () => onPath('supervisord') && pythonHas('supervisor.options') },
  'docker-compose': { what: 'docker-compose v1 (with PyYAML and python-dotenv)', packages: 'docker-compose', present: () => onPath('docker-compose') && pythonHas('yaml', 'dotenv') },
  pyyaml: { what: "python3's PyYAML", packages: 'python3-yaml', present: () => pythonHas('yaml') },
  tmux: { what: 'tmux (a real terminal for the test)', packages: 'tmux', present: () => onPath('tmux') },
  gunicorn: { what: 'gunicorn', packages: 'gunicorn', present: () => onPath('gunicorn') },
  puma: { what: 'puma', packages: 'puma', present: () => onPath('puma') },
  'systemd-analyze': { what: 'systemd-analyze', packages: 'systemd', present: () => onPath('systemd-analyze') },
  'qemu-aarch64': {
    what: 'qemu-aarch64-static and an arm64 glibc',
    packages: 'qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libatomic1-arm64-cross',
    present: () => onPath('qemu-aarch64-static') && ['ld-linux-aarch64.so.1', 'libstdc++.so.6', 'libatomic.so.1'].every((f) => fs.existsSync(path.join(AARCH64_SYSROOT, f))),
  },
} satisfies Record<string, Engine>;

export type EngineName = keyof typeof ENGINES;

const seen = new Map<EngineName, boolean>();

/** Whether the engine is installed (checked once per process). */
export function hasEngine(name: EngineName): boolean {
  let present = seen.get(name);
  if (present === undefined) seen.set(name, (present = ENGINES[name].present()));
  return present;
}

/** The line a test skips (or, under CI=true, fails) with when `name` is missing. */
export function missingEngineLine(name: EngineName): string {
  const e = ENGINES[name];
  return `needs ${e.what}: apt-get install ${e.packages}`;
}

/**
 * True when the engine is installed. Otherwise: under CI=true throw (the test fails with the install
 * line); elsewhere mark the test skipped with that line and return false (the test returns at once).
 */
export function requireEngine(t: TestContext, name: EngineName): boolean {
  if (hasEngine(name)) return true;
  if (process.env.CI === 'true') throw new Error(`${missingEngineLine(name)} (CI=true: a missing engine fails)`);
  t.skip(missingEngineLine(name));
  return false;
}

/**
 * For a table of oracle rows: where the engine is missing (and not CI), register one test for the
 * whole table that skips with the install line, instead of a skip line per row; else register the rows.
 */
export function engineTable(name: EngineName, title: string, rows: () => void): void {
  if (hasEngine(name) || process.env.CI === 'true') rows();
  else test(`${title} (every row)`, (t) => void requireEngine(t, name));
}
