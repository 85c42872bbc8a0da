// What a push would deploy: the commit at HEAD of the app's repository, and its tree written out with
// `git archive` (untracked and ignored files never reach it, as on Heroku).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DynoError } from '../core/errors.js';

/** One commit, as the release lines name it. */
export interface Commit {
  sha: string;
  /** 7 hex, as in `Deploy 1a2b3c4`. */
  short: string;
  /** The author's email (Heroku: `by user <email>`). */
  author: string;
  subject: string;
  /** The repository's top directory. */
  toplevel: string;
  /** The app root inside it (`''` when the app is the repository root). */
  prefix: string;
}

// `git -C dir args…` → stdout, or null when git fails.
export function git(dir: string, args: string[]): string | null {
  const r = spawnSync('git', ['-C', dir, ...args], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? r.stdout : null;
}

/** The commit `rev` (default HEAD) of the repository holding `root`. */
export function readCommit(root: string, rev = 'HEAD'): Commit {
  const toplevel = git(root, ['rev-parse', '--show-toplevel'])?.trim();
  if (!toplevel) throw new DynoError('USAGE', `--slug builds what a push deploys, but ${root} is not in a git repository`, { hint: 'git init && git add -A && git commit -m "first", or run without --slug' });
  const out = git(root, ['log', '-1', '--format=%H%n%ae%n%s', rev, '--']);
  if (!out) throw new DynoError('USAGE', `--slug: the repository at ${toplevel} has no commit yet (${rev})`, { hint: 'commit the app first: a push deploys commits, not the working tree' });
  const [sha = '', author = '', subject = ''] = out.split('\n');
  const prefix = path.relative(fs.realpathSync(toplevel), fs.realpathSync(root));
  return { sha, short: sha.slice(0, 7), author, subject, toplevel, prefix };
}

/** The local user's email, for rollbacks made here (Heroku: the user who ran `heroku rollback`). */
export function localUser(root: string): string {
  return git(root, ['config', 'user.email'])?.trim() || 'you';
}

/** Write the app's tree at `commit` into `dir` (which must exist and be empty). */
export function archiveTree(commit: Commit, dir: string): Promise<void> {
  const treeish = commit.prefix ? `${commit.sha}:${commit.prefix}` : commit.sha;
  return new Promise((resolve, reject) => {
    const archive = spawn('git', ['-C', commit.toplevel, 'archive', '--format=tar', treeish], { stdio: ['ignore', 'pipe', 'pipe'] });
    const tar = spawn('tar', ['-x', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    archive.stderr.on('data', (c: Buffer) => (err += c.toString()));
    tar.stderr.on('data', (c: Buffer) => (err += c.toString()));
    archive.stdout.pipe(tar.stdin);
    archive.on('error', reject);
    tar.on('error', reject);
    tar.on('close', (code) => (code === 0 ? resolve() : reject(new DynoError('USAGE', `git archive ${commit.short} failed: ${err.trim() || `tar exited with ${code}`}`))));
  });
}
