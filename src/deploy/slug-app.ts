// The app as the slug runs it: process types from the committed Procfile, config vars from the working
// tree's env files (they stand in for Heroku's config vars; a committed .env is not read), and the
// buildpack's PATH (node_modules/.bin, bin, the virtualenv).
import path from 'node:path';
import { loadApp, type App } from '../app/load-app.js';
import { mergeEnv } from '../app/env-file.js';
import { DynoError } from '../core/errors.js';
import type { Slug } from './build-slug.js';

/** `procfile`: the -f path relative to the app root, if one was given. */
export function loadSlugApp(app: App, slug: Slug, procfile?: string): App {
  const PATH = [...slug.pathPrepend, app.shellEnv.PATH ?? '', ...slug.pathAppend].filter(Boolean).join(path.delimiter);
  const shellEnv = { ...app.shellEnv, ...slug.env, PATH };
  let loaded: App;
  try {
    loaded = loadApp({ cwd: slug.dir, root: slug.dir, procfile, shellEnv });
  } catch (err) {
    if (!(err instanceof DynoError) || err.code !== 'PROCFILE_NOT_FOUND') throw err;
    const rel = procfile ?? 'Procfile';
    throw new DynoError('PROCFILE_NOT_FOUND', `--slug: ${rel} is not in commit ${slug.commit.short}, so a push would deploy no process types`, { hint: `git add ${rel} && git commit` });
  }
  return { ...loaded, shellEnv, fileEnv: app.fileEnv, env: mergeEnv([shellEnv, app.fileEnv]), envFiles: app.envFiles, problems: loaded.problems };
}
