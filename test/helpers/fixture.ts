// Paths to the fixture programs, ready to put in a Procfile.
import path from 'node:path';
import { projectRoot } from './run-dyno.js';

/** `node /abs/test/fixtures/bin/<name>.js <args…>` */
export function fixture(name: string, ...args: string[]): string {
  return ['node', path.join(projectRoot, 'test/fixtures/bin', `${name}.js`), ...args].join(' ');
}

/** A free TCP port range start: tests pick base ports apart so parallel files never collide. */
export function basePortFor(seed: number): number {
  return 20000 + ((process.pid * 7 + seed * 431) % 300) * 100;
}
