// Tests that need a system engine (gunicorn, puma, …): skip with one visible line naming the package
// when it is missing; under CI=true a missing engine fails the test instead.
import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';

/** Absolute path of `bin` on PATH, or undefined. */
export function findOnPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, bin);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** True when `bin` is installed; otherwise skips `t` (or throws under CI=true) naming the package to install. */
export function requireEngine(t: TestContext, bin: string, pkg: string): boolean {
  if (findOnPath(bin)) return true;
  const why = `${bin} is not installed (apt-get install ${pkg})`;
  if (process.env.CI === 'true') throw new Error(`${why}; CI must have it`);
  process.stderr.write(`skipped: ${why}\n`);
  t.skip(why);
  return false;
}
