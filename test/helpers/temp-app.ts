// Build a throwaway app directory from a map of relative path → contents.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface TempApp {
  dir: string;
  /** Absolute path of a file in the app. */
  file(rel: string): string;
  cleanup(): void;
}

export function tempApp(files: Record<string, string | Buffer> = {}): TempApp {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dyno-test-')));
  for (const [rel, contents] of Object.entries(files)) {
    const target = path.join(dir, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, contents);
  }
  return {
    dir,
    file: (rel) => path.join(dir, rel),
    // maxRetries: a process that just ended (a shell writing its history) may still add a file.
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 }),
  };
}
