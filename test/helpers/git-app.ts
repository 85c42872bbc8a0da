// A temp app that is a git repository with one commit; commit() adds the next one.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempApp, type TempApp } from './temp-app.js';

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1',
};

export interface GitApp extends TempApp {
  /** Write files (null deletes), commit them all; returns the new sha. */
  commit(files: Record<string, string | null>, message?: string): string;
  /** A private cache dir (XDG_CACHE_HOME) for the slugs of this app. */
  cache: string;
}

function git(dir: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

export function gitApp(files: Record<string, string>, untracked: Record<string, string> = {}): GitApp {
  const app = tempApp(files);
  git(app.dir, ['init', '-q', '-b', 'main']);
  git(app.dir, ['add', '-A']);
  git(app.dir, ['commit', '-qm', 'first']);
  for (const [rel, text] of Object.entries(untracked)) {
    fs.mkdirSync(path.dirname(app.file(rel)), { recursive: true });
    fs.writeFileSync(app.file(rel), text);
  }
  const cache = fs.mkdtempSync(path.join(path.dirname(app.dir), 'dyno-cache-'));
  return {
    ...app,
    cache,
    commit: (changes, message = 'change') => {
      for (const [rel, text] of Object.entries(changes)) {
        if (text === null) fs.rmSync(app.file(rel), { force: true });
        else {
          fs.mkdirSync(path.dirname(app.file(rel)), { recursive: true });
          fs.writeFileSync(app.file(rel), text);
        }
      }
      git(app.dir, ['add', '-A']);
      git(app.dir, ['commit', '-qm', message]);
      return git(app.dir, ['rev-parse', 'HEAD']);
    },
    cleanup: () => {
      app.cleanup();
      fs.rmSync(cache, { recursive: true, force: true });
    },
  };
}

/** A dependency-free Node app: package.json, its lockfile, a server answering `<message> from <dyno>`. */
export function nodeAppFiles(marker: string, message = 'v1'): Record<string, string> {
  return {
    Procfile: `web: node server.js ${marker}\n`,
    'package.json': JSON.stringify({ name: 'slug-app', version: '1.0.0', private: true, scripts: { build: 'node build.js' } }),
    'package-lock.json': JSON.stringify({ name: 'slug-app', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'slug-app', version: '1.0.0' } } }),
    'build.js': "require('fs').writeFileSync('built.txt', 'built\\n');\n",
    'message.js': `module.exports = ${JSON.stringify(message)};\n`,
    'server.js': [
      "const http = require('http');",
      "const message = require('./message.js');",
      "const server = http.createServer((req, res) => res.end(`${message} from ${process.env.DYNO}`));",
      "server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('READY'));",
      "process.on('SIGTERM', () => server.close(() => process.exit(0)));",
      '',
    ].join('\n'),
    '.gitignore': 'node_modules/\n',
  };
}
