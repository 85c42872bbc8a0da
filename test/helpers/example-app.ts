// The bundled example app. Tests never run dyno inside the repository's copy: a `dyno start` there
// would refuse a second one and leave its .dyno control socket for other tests to trip over.
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from './run-dyno.js';
import { tempApp, type TempApp } from './temp-app.js';

export const exampleDir = path.join(projectRoot, 'examples/app');

/** A private copy of an app directory (default: examples/app) at `<temp>/app`, dyno's runtime state left out. */
export function copyApp(from: string = exampleDir): TempApp & { app: string } {
  const t = tempApp();
  const app = path.join(t.dir, 'app');
  fs.cpSync(from, app, { recursive: true, filter: (src) => path.basename(src) !== '.dyno' });
  return { ...t, app };
}
